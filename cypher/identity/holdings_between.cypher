// Whether two enterprises hold shares in one another (a merge would make a holding of itself).
MATCH (a:Enterprise {uscc: $a}), (b:Enterprise {uscc: $b})
RETURN EXISTS { (a)-[:HOLDS_SHARES]-(b) } AS linked
