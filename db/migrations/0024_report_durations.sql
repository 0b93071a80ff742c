DROP INDEX `tickets_report`;--> statement-breakpoint
ALTER TABLE `tickets` ADD `first_response_working_ms` integer;--> statement-breakpoint
ALTER TABLE `tickets` ADD `resolution_working_ms` integer;--> statement-breakpoint
CREATE INDEX `tickets_durations_missing` ON `tickets` (`school_id`) WHERE (first_response_at is not null and first_response_working_ms is null) or (resolved_at is not null and resolution_working_ms is null);--> statement-breakpoint
CREATE INDEX `tickets_report` ON `tickets` (`school_id`,`created_at`,`category`,`assignee_staff_id`,`student_id`,`first_response_at`,`first_response_due_at`,`resolved_at`,`reopen_count`,`rating`,`number`,`first_response_working_ms`,`resolution_working_ms`);--> statement-breakpoint
ALTER TABLE `schools` ADD `report_durations_basis` text;