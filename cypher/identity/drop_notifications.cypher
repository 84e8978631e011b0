// The undo of a judgement removes the notifications its recompute created that nobody acted on and
// that the graph as restored no longer reaches (status pending, in_reach false); one a department
// acknowledged or answered stays, as the workflow's history (docs/search.md "Identity").
UNWIND $ids AS nid
MATCH (n:Notification {notification_id: nid})
WHERE n.status = 'pending' AND NOT coalesce(n.in_reach, false)
DETACH DELETE n
RETURN count(*) AS dropped
