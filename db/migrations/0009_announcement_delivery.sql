ALTER TABLE `announcement_recipients` ADD `channel` text;--> statement-breakpoint
ALTER TABLE `announcement_recipients` ADD `digest_held_at` integer;--> statement-breakpoint
ALTER TABLE `announcement_recipients` ADD `held_text` text;--> statement-breakpoint
CREATE INDEX `announcement_recipients_held` ON `announcement_recipients` (`school_id`,`guardian_id`) WHERE "announcement_recipients"."digest_held_at" is not null and "announcement_recipients"."outbox_id" is null and "announcement_recipients"."skipped_reason" is null;--> statement-breakpoint
CREATE INDEX `announcements_due` ON `announcements` (`status`,`scheduled_at`);--> statement-breakpoint
CREATE INDEX `outbox_announcement` ON `outbox` (`announcement_id`,`address`) WHERE "outbox"."announcement_id" is not null;