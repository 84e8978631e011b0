"""The record workflow: events, repair, objections, notifications, lists."""
