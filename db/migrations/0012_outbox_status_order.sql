DROP INDEX `outbox_due`;--> statement-breakpoint
CREATE INDEX `outbox_status_order` ON `outbox` (`status`,`id`);