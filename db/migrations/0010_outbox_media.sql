ALTER TABLE `announcements` ADD `attachment` text;--> statement-breakpoint
ALTER TABLE `outbox` ADD `media` text;