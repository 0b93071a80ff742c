ALTER TABLE `announcements` ADD `source_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `announcements_source_key` ON `announcements` (`source_key`);