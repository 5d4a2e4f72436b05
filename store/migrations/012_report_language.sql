-- A report may be archived in Vietnamese (the default) and in English: one per kind, scope, period and
-- language. Existing rows are all 'vi', so the wider key keeps them unique.
ALTER TABLE reports DROP CONSTRAINT reports_kind_scope_key_period_from_key;
ALTER TABLE reports ADD CONSTRAINT reports_once UNIQUE (kind, scope_key, period_from, language);
