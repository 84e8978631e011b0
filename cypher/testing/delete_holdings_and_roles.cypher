// Tests only: remove every role and holding (the enterprises and persons stay).
MATCH ()-[r:HOLDS_ROLE|HOLDS_SHARES]->()
DELETE r
