DROP INDEX `outbox_address`;--> statement-breakpoint
CREATE INDEX `outbox_unsent_by_address` ON `outbox` (`channel`,`address`,`id`) WHERE "outbox"."status" in ('pending', 'sending');