DROP INDEX `outbox_provider_id`;--> statement-breakpoint
CREATE INDEX `outbox_provider_id` ON `outbox` (`channel`,`provider_message_id`) WHERE "outbox"."provider_message_id" is not null;