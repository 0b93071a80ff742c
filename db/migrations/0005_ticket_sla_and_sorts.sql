ALTER TABLE `tickets` ADD `first_response_due_at` integer;--> statement-breakpoint
CREATE INDEX `tickets_school_updated` ON `tickets` (`school_id`,`updated_at`);--> statement-breakpoint
CREATE INDEX `tickets_school_priority_created` ON `tickets` (`school_id`,`priority`,`created_at`);