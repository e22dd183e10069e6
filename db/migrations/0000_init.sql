CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`at` text NOT NULL,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`subject` text,
	`detail` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `cases` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`team_key_id` text NOT NULL,
	`status` text NOT NULL,
	`taxonomy` text NOT NULL,
	`category` text NOT NULL,
	`system_type` text NOT NULL,
	`country` text NOT NULL,
	`language` text NOT NULL,
	`role` text NOT NULL,
	`incident_month` text NOT NULL,
	`urgent` integer NOT NULL,
	`child` integer NOT NULL,
	`consent_referral` integer NOT NULL,
	`consent_share_data` integer NOT NULL,
	`received_on` text NOT NULL,
	`sealed_by` text NOT NULL,
	`envelope` text NOT NULL,
	`receipt_auth_hash` text NOT NULL,
	`reporter_public_key` text NOT NULL,
	`triage_due` text NOT NULL,
	`acknowledge_due` text NOT NULL,
	`assignee_id` text,
	`updated_at` text,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`team_key_id`) REFERENCES `team_keys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assignee_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `cases_receipt_unique` ON `cases` (`receipt_auth_hash`);--> statement-breakpoint
CREATE INDEX `cases_team_status_idx` ON `cases` (`team_id`,`status`,`triage_due`);--> statement-breakpoint
CREATE TABLE `grants` (
	`id` text PRIMARY KEY NOT NULL,
	`team_key_id` text NOT NULL,
	`user_id` text,
	`sealed_private_key` text NOT NULL,
	`granted_by` text,
	`created_at` text NOT NULL,
	FOREIGN KEY (`team_key_id`) REFERENCES `team_keys`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `grants_team_key_idx` ON `grants` (`team_key_id`);--> statement-breakpoint
CREATE INDEX `grants_user_idx` ON `grants` (`user_id`);--> statement-breakpoint
CREATE TABLE `organisation` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`recovery_public_key` text NOT NULL,
	`recovery_kid` text NOT NULL,
	`receipt_salt` text NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `team_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`public_key` text NOT NULL,
	`kid` text NOT NULL,
	`created_at` text NOT NULL,
	`retired_at` text,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `team_keys_kid_unique` ON `team_keys` (`kid`);--> statement-breakpoint
CREATE INDEX `team_keys_team_idx` ON `team_keys` (`team_id`);--> statement-breakpoint
CREATE TABLE `team_members` (
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`added_at` text NOT NULL,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `team_members_pk` ON `team_members` (`team_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `teams` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`restricted` integer DEFAULT false NOT NULL,
	`is_default` integer DEFAULT false NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`email` text NOT NULL,
	`role` text NOT NULL,
	`kdf_salt` text NOT NULL,
	`kdf_opslimit` integer NOT NULL,
	`kdf_memlimit` integer NOT NULL,
	`auth_hash` text NOT NULL,
	`public_key` text NOT NULL,
	`wrapped_private_key` text NOT NULL,
	`totp_secret` text,
	`created_at` text NOT NULL,
	`disabled_at` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_email_unique` ON `users` (`email`);