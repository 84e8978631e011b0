"""The facts the graph holds: the rows of a bundle (their validation) and the statements that
write them. Both the loaders and the record workflow write through here."""
