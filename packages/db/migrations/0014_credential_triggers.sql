-- Credential changes announce themselves: any UPDATE of what decides a credential (role, owner, expiry,
-- revocation, disabled, password), any DELETE or TRUNCATE on users, api_tokens and sessions sends NOTIFY
-- investiq_auth at its commit, and every process empties its credential cache (packages/api auth/
-- credential-cache.ts). Our own functions also notify; these triggers cover changes made any other way (SQL by
-- hand, an admin tool), which before waited for the cache's 30 s bound. Row-level, so a statement that
-- changes no row (the clean-up of long-expired sessions at each sign-in, usually) sends nothing; PostgreSQL
-- sends one notification per transaction for identical ones. Bookkeeping columns (last_used_at,
-- last_login_at, last_seen_at) are not listed, so their frequent updates do not empty the caches.
CREATE OR REPLACE FUNCTION investiq_notify_auth() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('investiq_auth', TG_TABLE_NAME);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER api_tokens_notify_auth
  AFTER UPDATE OF token_hash, role, owner_id, expires_at, revoked_at OR DELETE ON api_tokens
  FOR EACH ROW EXECUTE FUNCTION investiq_notify_auth();
--> statement-breakpoint
CREATE TRIGGER api_tokens_notify_auth_truncate AFTER TRUNCATE ON api_tokens
  FOR EACH STATEMENT EXECUTE FUNCTION investiq_notify_auth();
--> statement-breakpoint
CREATE TRIGGER users_notify_auth
  AFTER UPDATE OF username, password_hash, role, disabled_at OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION investiq_notify_auth();
--> statement-breakpoint
CREATE TRIGGER users_notify_auth_truncate AFTER TRUNCATE ON users
  FOR EACH STATEMENT EXECUTE FUNCTION investiq_notify_auth();
--> statement-breakpoint
CREATE TRIGGER sessions_notify_auth
  AFTER UPDATE OF id, user_id, expires_at OR DELETE ON sessions
  FOR EACH ROW EXECUTE FUNCTION investiq_notify_auth();
--> statement-breakpoint
CREATE TRIGGER sessions_notify_auth_truncate AFTER TRUNCATE ON sessions
  FOR EACH STATEMENT EXECUTE FUNCTION investiq_notify_auth();
