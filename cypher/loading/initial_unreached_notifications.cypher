// load --initial, after the rows that repeat a key are written as updates: the import derived the
// records' reach from the first row of each key, so a region that only an earlier row reached got
// a notification that an ordinary load of the same bundle never makes (its records come after
// every enterprise and person row). Such a notification is out of reach now, still pending, and
// nothing has served it: the database was empty before this load.
MATCH (n:Notification)
WHERE n.in_reach = false AND n.status = 'pending'
DETACH DELETE n
RETURN count(*) AS deleted
