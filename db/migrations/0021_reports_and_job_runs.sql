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
ALTER TABLE `staff` ADD `weekly_report_sent_at` integer;