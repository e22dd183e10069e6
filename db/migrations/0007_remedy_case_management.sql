CREATE TABLE `deadline_notices` (
	`case_id` text NOT NULL,
	`kind` text NOT NULL,
	`due` text NOT NULL,
	`stage` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deadline_notices_unique` ON `deadline_notices` (`case_id`,`kind`,`due`,`stage`);--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`kind` text NOT NULL,
	`due_at` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_pending_unique` ON `notifications` (`user_id`,`kind`);--> statement-breakpoint
CREATE INDEX `notifications_due_idx` ON `notifications` (`due_at`);--> statement-breakpoint
ALTER TABLE `cases` ADD `update_due` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `silence_due` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `closed_on` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `unread` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `purged_on` text;--> statement-breakpoint
CREATE INDEX `cases_team_update_idx` ON `cases` (`team_id`,`status`,`update_due`);--> statement-breakpoint
CREATE INDEX `cases_status_closed_idx` ON `cases` (`status`,`closed_on`);--> statement-breakpoint
CREATE INDEX `cases_team_unread_idx` ON `cases` (`team_id`,`unread`);--> statement-breakpoint
ALTER TABLE `teams` ADD `retention_days` integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE `teams` ADD `grace_days` integer DEFAULT 30 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `notify` text DEFAULT 'each' NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `notify_language` text DEFAULT 'en' NOT NULL;