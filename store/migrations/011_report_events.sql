-- "Report ready" through the existing outboxes: a webhook delivery is of an alert or of a report (never
-- both), written in the transaction that archives the report, once per webhook and report, so a repeated
-- make or a webhook outage neither duplicates nor loses it.
ALTER TABLE webhook_deliveries ALTER COLUMN alert_id DROP NOT NULL;
ALTER TABLE webhook_deliveries ADD COLUMN report_id uuid REFERENCES reports (id) ON DELETE CASCADE;
ALTER TABLE webhook_deliveries ADD CONSTRAINT webhook_deliveries_one_subject CHECK (num_nonnulls(alert_id, report_id) = 1);
CREATE UNIQUE INDEX webhook_deliveries_report_once ON webhook_deliveries (webhook_id, report_id) WHERE report_id IS NOT NULL;
