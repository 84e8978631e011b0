export function render(view) { view.append('todo'); }
