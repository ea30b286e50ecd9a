-- The schema the original's later version (mebisen06/Loop.in at bbb78d4) leaves in a fresh database,
-- dumped from one it created (../shared/original-later-schema/sqlite.sql in Loopin's workplace).
CREATE TABLE users (
	id INTEGER NOT NULL, 
	email VARCHAR NOT NULL, 
	hashed_password VARCHAR, 
	is_active BOOLEAN, 
	enrollment_number VARCHAR, 
	auth_provider VARCHAR, 
	username VARCHAR, 
	full_name VARCHAR, 
	department VARCHAR, 
	role VARCHAR, 
	bio VARCHAR, 
	profile_photo_url VARCHAR, 
	created_at DATETIME, 
	PRIMARY KEY (id)
);
CREATE UNIQUE INDEX ix_users_username ON users (username);
CREATE INDEX ix_users_id ON users (id);
CREATE UNIQUE INDEX ix_users_email ON users (email);
CREATE UNIQUE INDEX ix_users_enrollment_number ON users (enrollment_number);
CREATE TABLE posts (
	id INTEGER NOT NULL, 
	title VARCHAR NOT NULL, 
	content TEXT NOT NULL, 
	created_at DATETIME, 
	is_anonymous BOOLEAN, 
	upvotes INTEGER, 
	downvotes INTEGER, 
	comments_count INTEGER, 
	share_count INTEGER, 
	author_id INTEGER, 
	department VARCHAR NOT NULL, 
	tags VARCHAR, 
	type VARCHAR, 
	is_pinned BOOLEAN, 
	pinned_until DATETIME, 
	media_url VARCHAR, 
	media_public_id VARCHAR, 
	media_type VARCHAR, 
	PRIMARY KEY (id), 
	FOREIGN KEY(author_id) REFERENCES users (id)
);
CREATE INDEX ix_posts_department ON posts (department);
CREATE INDEX ix_posts_id ON posts (id);
CREATE TABLE audit_logs (
	id INTEGER NOT NULL, 
	action VARCHAR NOT NULL, 
	admin_id INTEGER, 
	target_id INTEGER, 
	target_type VARCHAR, 
	details VARCHAR, 
	timestamp DATETIME DEFAULT (CURRENT_TIMESTAMP), 
	PRIMARY KEY (id), 
	FOREIGN KEY(admin_id) REFERENCES users (id)
);
CREATE INDEX ix_audit_logs_id ON audit_logs (id);
CREATE TABLE notifications (
	id INTEGER NOT NULL, 
	recipient_id INTEGER, 
	sender_id INTEGER, 
	type VARCHAR, 
	title VARCHAR, 
	message VARCHAR, 
	reference_id INTEGER, 
	reference_type VARCHAR, 
	is_read BOOLEAN, 
	created_at DATETIME, 
	PRIMARY KEY (id), 
	FOREIGN KEY(recipient_id) REFERENCES users (id), 
	FOREIGN KEY(sender_id) REFERENCES users (id)
);
CREATE INDEX ix_notifications_recipient_id ON notifications (recipient_id);
CREATE INDEX ix_notifications_type ON notifications (type);
CREATE INDEX ix_notifications_id ON notifications (id);
CREATE TABLE comments (
	id INTEGER NOT NULL, 
	content TEXT NOT NULL, 
	created_at DATETIME, 
	upvotes INTEGER, 
	downvotes INTEGER, 
	post_id INTEGER NOT NULL, 
	author_id INTEGER, 
	parent_id INTEGER, 
	PRIMARY KEY (id), 
	FOREIGN KEY(post_id) REFERENCES posts (id), 
	FOREIGN KEY(author_id) REFERENCES users (id), 
	FOREIGN KEY(parent_id) REFERENCES comments (id)
);
CREATE INDEX ix_comments_id ON comments (id);
CREATE TABLE reactions (
	id INTEGER NOT NULL, 
	user_id INTEGER, 
	post_id INTEGER, 
	comment_id INTEGER, 
	emoji VARCHAR NOT NULL, 
	created_at DATETIME, 
	PRIMARY KEY (id), 
	CONSTRAINT unique_user_post_emoji UNIQUE (user_id, post_id, emoji), 
	CONSTRAINT unique_user_comment_emoji UNIQUE (user_id, comment_id, emoji), 
	FOREIGN KEY(user_id) REFERENCES users (id), 
	FOREIGN KEY(post_id) REFERENCES posts (id), 
	FOREIGN KEY(comment_id) REFERENCES comments (id)
);
CREATE INDEX ix_reactions_id ON reactions (id);
CREATE TABLE votes (
	id INTEGER NOT NULL, 
	user_id INTEGER NOT NULL, 
	post_id INTEGER, 
	comment_id INTEGER, 
	vote_type INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	CONSTRAINT unique_user_post_vote UNIQUE (user_id, post_id), 
	CONSTRAINT unique_user_comment_vote UNIQUE (user_id, comment_id), 
	FOREIGN KEY(user_id) REFERENCES users (id), 
	FOREIGN KEY(post_id) REFERENCES posts (id), 
	FOREIGN KEY(comment_id) REFERENCES comments (id)
);
CREATE INDEX ix_votes_id ON votes (id);
