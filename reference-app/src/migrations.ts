// Schema migrations, applied in order at start inside one transaction (see Database.migrate).
// Append only: never edit an applied migration, add a new one.
export interface Migration {
  readonly id: string;
  readonly sql: string;
}

export const migrations: readonly Migration[] = [
  {
    id: '0001_initial',
    sql: `
CREATE TABLE users (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE refresh_tokens (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  token_hash text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

CREATE TABLE posts (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  author_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE comments (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  post_id integer NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  author_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_post ON comments (post_id, id);
CREATE TABLE likes (
  post_id integer NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (post_id, user_id)
);

CREATE TABLE conversations (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('dm', 'group')),
  title text,
  dm_key text UNIQUE,
  created_by integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE conversation_members (
  conversation_id integer NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  last_read_message_id integer NOT NULL DEFAULT 0,
  joined_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, user_id)
);
CREATE INDEX conversation_members_user ON conversation_members (user_id);
CREATE TABLE messages (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  conversation_id integer NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
  sender_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_conversation ON messages (conversation_id, id);

CREATE TABLE notifications (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  type text NOT NULL CHECK (type IN ('comment', 'like', 'message', 'game_invite', 'game_turn')),
  payload jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz
);
CREATE INDEX notifications_user ON notifications (user_id, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;

CREATE TABLE game_rooms (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  created_by integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  status text NOT NULL CHECK (status IN ('waiting', 'active', 'closed')),
  player_x integer REFERENCES users(id) ON DELETE SET NULL,
  player_o integer REFERENCES users(id) ON DELETE SET NULL,
  x_left boolean NOT NULL DEFAULT false,
  o_left boolean NOT NULL DEFAULT false,
  board text NOT NULL DEFAULT '.........',
  next_turn char(1),
  winner char(1),
  invitee_id integer REFERENCES users(id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  close_reason text
);
CREATE INDEX game_rooms_open ON game_rooms (status) WHERE status IN ('waiting', 'active');
CREATE TABLE game_moves (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  room_id integer NOT NULL REFERENCES game_rooms(id) ON DELETE CASCADE,
  user_id integer NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  cell smallint NOT NULL CHECK (cell BETWEEN 0 AND 8),
  mark char(1) NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX game_moves_room ON game_moves (room_id, id);
`,
  },
  {
    // The feed shows every post's like and comment counts: counting them per post on every read was
    // the largest part of the feed query. Triggers keep the counts in the same transaction as the
    // like or comment, so reads see exactly what count(*) would (docs/reference-app.md, Performance).
    id: '0002_post_counters',
    sql: `
ALTER TABLE posts ADD COLUMN like_count integer NOT NULL DEFAULT 0, ADD COLUMN comment_count integer NOT NULL DEFAULT 0;
UPDATE posts p SET like_count = (SELECT count(*) FROM likes l WHERE l.post_id = p.id),
  comment_count = (SELECT count(*) FROM comments c WHERE c.post_id = p.id);

CREATE FUNCTION posts_like_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN UPDATE posts SET like_count = like_count - 1 WHERE id = OLD.post_id; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN UPDATE posts SET like_count = like_count + 1 WHERE id = NEW.post_id; END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER likes_count AFTER INSERT OR DELETE OR UPDATE OF post_id ON likes FOR EACH ROW EXECUTE FUNCTION posts_like_count();

CREATE FUNCTION posts_comment_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('DELETE', 'UPDATE') THEN UPDATE posts SET comment_count = comment_count - 1 WHERE id = OLD.post_id; END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN UPDATE posts SET comment_count = comment_count + 1 WHERE id = NEW.post_id; END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER comments_count AFTER INSERT OR DELETE OR UPDATE OF post_id ON comments FOR EACH ROW EXECUTE FUNCTION posts_comment_count();
`,
  },
];
