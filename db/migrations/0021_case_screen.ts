/**
 * The case screen from its stored view in one read: the view now holds the line's timeline (each act without its
 * payload) and the Center's last notice of an incomplete package, so the views are rebuilt from the log. A case's
 * events by sync state are counted from an index (the screen's badge read every event's state of the office). The
 * deadlines board sums its kept counts per stage and per person along an index each, without sorting them.
 */
export const sql = /* sql */ `
CREATE INDEX event_sync_by_case ON event_sync (case_id, state);
CREATE INDEX board_open_counts_by_stage ON board_open_counts (stage, due, n);
CREATE INDEX board_open_counts_by_person ON board_open_counts (responsible_iin, due, n);
`;
