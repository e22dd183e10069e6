ALTER TABLE `cases` ADD `reporter_signing_key` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `team_verify_key` text;--> statement-breakpoint
ALTER TABLE `cases` ADD `reporter_pin` text;--> statement-breakpoint
ALTER TABLE `invitations` ADD `user_id` text REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `invitations` ADD `revoked_at` text;--> statement-breakpoint
ALTER TABLE `team_keys` ADD `verify_key` text;--> statement-breakpoint
ALTER TABLE `sessions` DROP COLUMN `last_seen_at`;