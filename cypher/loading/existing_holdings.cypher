// The holdings already in the graph into the given enterprises (the loader's 100 % check).
UNWIND $usccs AS uscc
MATCH (_enterprise:Enterprise {uscc: uscc})<-[s:HOLDS_SHARES]-()
USING INDEX _enterprise:Enterprise(uscc)
RETURN uscc, s.key AS key, s.ratio AS ratio, s.start_on AS start_on, s.end_on AS end_on
