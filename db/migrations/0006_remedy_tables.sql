CREATE TABLE `deployments` (
	`id` text PRIMARY KEY NOT NULL,
	`system_name` text NOT NULL,
	`system_type` text NOT NULL,
	`deployer_class` text NOT NULL,
	`entry` text NOT NULL,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `pathways` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`entry` text NOT NULL,
	`retired_at` text,
	`updated_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `referrals` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`pathway_id` text NOT NULL,
	`sent_on` text NOT NULL,
	`body_reference` text,
	`follow_up_on` text,
	`outcome` text,
	`outcome_on` text,
	`shared_personal_data` integer NOT NULL,
	`created_by` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`pathway_id`) REFERENCES `pathways`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `referrals_case_idx` ON `referrals` (`case_id`);--> statement-breakpoint
CREATE INDEX `referrals_pathway_idx` ON `referrals` (`pathway_id`);--> statement-breakpoint
ALTER TABLE `cases` ADD `reference` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `coded_category` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `coded_system_type` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `deployer_class` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `deployment_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `cases_reference_unique` ON `cases` (`reference`);