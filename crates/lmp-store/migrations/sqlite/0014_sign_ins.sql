-- Sign-ins as the administrator keeps them: deactivated on a day (by the
-- administrator, or for a leaver by the HR sync), never deleted; the
-- identity provider's subject of one made by single sign-on; and where its
-- role comes from: 'granted' (by an administrator or the operator) or
-- 'record' (the person's standing roles and seats, read at each sign-in).
ALTER TABLE users ADD COLUMN deactivated_on TEXT;
ALTER TABLE users ADD COLUMN sso_subject TEXT;
ALTER TABLE users ADD COLUMN role_source TEXT NOT NULL DEFAULT 'granted';
CREATE UNIQUE INDEX users_by_sso_subject ON users (partnership_id, sso_subject);
