CREATE INDEX `cases_team_status_ack_idx` ON `cases` (`team_id`,`status`,`acknowledge_due`);--> statement-breakpoint
CREATE INDEX `cases_team_due_idx` ON `cases` (`team_id`,`triage_due`);--> statement-breakpoint
CREATE INDEX `cases_team_received_idx` ON `cases` (`team_id`,`received_on`);--> statement-breakpoint
CREATE INDEX `cases_team_category_idx` ON `cases` (`team_id`,`category`,`country`);--> statement-breakpoint
CREATE INDEX `cases_team_country_idx` ON `cases` (`team_id`,`country`);--> statement-breakpoint
CREATE INDEX `cases_team_language_idx` ON `cases` (`team_id`,`language`);--> statement-breakpoint
CREATE INDEX `cases_team_assignee_idx` ON `cases` (`team_id`,`assignee_id`);--> statement-breakpoint
CREATE INDEX `cases_team_urgent_idx` ON `cases` (`team_id`,`urgent`,`status`);