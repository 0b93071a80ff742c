ALTER TABLE `outbox` ADD `segments` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `rating_comment` text;