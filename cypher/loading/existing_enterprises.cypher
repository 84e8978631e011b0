// The given USCCs that are enterprises in the graph (reference checks of the loader).
UNWIND $ids AS id
MATCH (e:Enterprise {uscc: id})
USING INDEX e:Enterprise(uscc)
RETURN e.uscc AS id
