ALTER TABLE `staff` ADD `alert_preferences` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `staff` ADD `summary_sent_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `last_alert_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `unalerted_messages` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_reminded_at` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `sla_breach_told_at` integer;--> statement-breakpoint
CREATE INDEX `tickets_awaiting_first_response` ON `tickets` (`first_response_due_at`) WHERE "tickets"."first_response_at" is null and "tickets"."resolved_at" is null;--> statement-breakpoint
CREATE INDEX `tickets_unalerted` ON `tickets` (`last_alert_at`) WHERE "tickets"."unalerted_messages" > 0;--> statement-breakpoint
CREATE INDEX `channel_identities_staff` ON `channel_identities` (`staff_id`,`verified_at`) WHERE "channel_identities"."staff_id" is not null;--> statement-breakpoint
CREATE INDEX `outbox_ticket_alerts` ON `outbox` (`channel`,`address`,`id`) WHERE "outbox"."kind" = 'alert' and "outbox"."ticket_id" is not null;