-- The districts of the province as data an admin manages: users, API keys and cameras pick from this list.
-- While it is empty, district names are free text (deployments from before the list keep working).
CREATE TABLE districts (
  name       text PRIMARY KEY CHECK (length(name) BETWEEN 1 AND 120),
  created_at timestamptz NOT NULL DEFAULT now()
);
