-- Read model of parks' users, kept from parks.user.created, so history
-- lines and progress updates can name their author.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    display_name TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT ''
);
