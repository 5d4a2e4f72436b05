-- A password someone else chose (the first admin's from config, one an admin set at creation or reset)
-- must be replaced by its owner: the pages send the user to the change page until they have.
ALTER TABLE users ADD COLUMN must_change_password boolean NOT NULL DEFAULT false;
