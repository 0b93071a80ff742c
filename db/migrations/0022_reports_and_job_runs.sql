CREATE TABLE `job_runs` (
	`name` text PRIMARY KEY NOT NULL,
	`interval_ms` integer NOT NULL,
	`last_started_at` integer,
	`last_duration_ms` integer,
	`last_result` text,
	`last_error` text,
	`next_run_at` integer
);
--> statement-breakpoint
ALTER TABLE `staff` ADD `weekly_report_sent_at` integer;--> statement-breakpoint
CREATE INDEX `tickets_report` ON `tickets` (`school_id`,`created_at`,`category`,`assignee_staff_id`,`student_id`,`first_response_at`,`first_response_due_at`,`resolved_at`,`reopen_count`,`rating`,`number`);