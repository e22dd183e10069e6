CREATE TABLE `stat_releases` (
	`quarter` text PRIMARY KEY NOT NULL,
	`frozen_on` text NOT NULL,
	`aggregate` text NOT NULL
);
--> statement-breakpoint
ALTER TABLE `organisation` ADD `accountability_page` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `case_events_stats_idx` ON `case_events` (`case_id`,`status`,`on`);--> statement-breakpoint
CREATE INDEX `cases_stats_idx` ON `cases` (`id`,`received_on`,`country`,`category`,`coded_category`,`system_type`,`coded_system_type`,`deployer_class`,`child`,`deployment_id`,`status`,`closed_on`,`outcome`);--> statement-breakpoint
CREATE INDEX `referrals_stats_idx` ON `referrals` (`case_id`,`pathway_id`,`sent_on`,`outcome`,`outcome_on`);