-- Full-text search over ticket messages (SQLite FTS5), kept in step with the table by triggers.
-- An external-content index: the text lives once, in ticket_messages.
CREATE VIRTUAL TABLE `ticket_messages_fts` USING fts5(body, content='ticket_messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `ticket_messages_fts`(rowid, body) SELECT id, body FROM `ticket_messages`;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_fts_insert` AFTER INSERT ON `ticket_messages` BEGIN
  INSERT INTO `ticket_messages_fts`(rowid, body) VALUES (new.id, new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_fts_delete` AFTER DELETE ON `ticket_messages` BEGIN
  INSERT INTO `ticket_messages_fts`(`ticket_messages_fts`, rowid, body) VALUES ('delete', old.id, old.body);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_messages_fts_update` AFTER UPDATE OF body ON `ticket_messages` BEGIN
  INSERT INTO `ticket_messages_fts`(`ticket_messages_fts`, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO `ticket_messages_fts`(rowid, body) VALUES (new.id, new.body);
END;
