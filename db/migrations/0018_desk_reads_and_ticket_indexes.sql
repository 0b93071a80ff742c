CREATE TABLE `ticket_reads` (
	`staff_id` integer NOT NULL,
	`ticket_id` integer NOT NULL,
	`read_at` integer NOT NULL,
	PRIMARY KEY(`staff_id`, `ticket_id`),
	FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ticket_id`) REFERENCES `tickets`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outbox_ticket` ON `outbox` (`ticket_id`,`id`) WHERE "outbox"."ticket_id" is not null;--> statement-breakpoint
CREATE INDEX `staff_events_ticket` ON `staff_events` (`ticket_id`,`id`);