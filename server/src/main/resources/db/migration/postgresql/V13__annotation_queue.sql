-- The annotation queue walks the automatic scores from the lowest up and stops at a page's worth.
-- Keep in step with ../sqlite/V13__annotation_queue.sql.

CREATE INDEX feedback_auto_value ON feedback (value, record_id DESC) WHERE source IN ('auto', 'judge');
CREATE INDEX feedback_human_record ON feedback (record_id) WHERE source = 'human';
