-- Full-text search keyed by ticket, replacing ticket_messages_fts. Still one document per message
-- (every word of q must be in one message), but its rowid is (ticket_id << 32) | (low 32 bits of the
-- message id): the index yields ticket ids without a lookup per message, and in ticket order, so the
-- newest-first list can stop after one page of hits. Unique while a ticket's messages are fewer
-- than 2^32 ids apart. Contentless (the text lives in ticket_messages); prefix indexes answer
-- "word"* queries of up to 8 characters from one doclist instead of merging every matching term's.
DROP TRIGGER `ticket_messages_fts_insert`;
--> statement-breakpoint
DROP TRIGGER `ticket_messages_fts_delete`;
--> statement-breakpoint
DROP TRIGGER `ticket_messages_fts_update`;
--> statement-breakpoint
DROP TABLE `ticket_messages_fts`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `ticket_search` USING fts5(body, content='', contentless_delete=1, prefix='1 2 3 4 5 6 7 8', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `ticket_search`(rowid, body) SELECT (`ticket_id` << 32) | (`id` & 4294967295), `body` FROM `ticket_messages`;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_insert` AFTER INSERT ON `ticket_messages` BEGIN
  INSERT INTO `ticket_search`(rowid, body) VALUES ((new.ticket_id << 32) | (new.id & 4294967295), new.body);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_delete` AFTER DELETE ON `ticket_messages` BEGIN
  DELETE FROM `ticket_search` WHERE rowid = (old.ticket_id << 32) | (old.id & 4294967295);
END;
--> statement-breakpoint
CREATE TRIGGER `ticket_search_update` AFTER UPDATE OF body, ticket_id ON `ticket_messages` BEGIN
  DELETE FROM `ticket_search` WHERE rowid = (old.ticket_id << 32) | (old.id & 4294967295);
  INSERT INTO `ticket_search`(rowid, body) VALUES ((new.ticket_id << 32) | (new.id & 4294967295), new.body);
END;
