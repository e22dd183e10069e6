CREATE TABLE `uploads` (
	`id` text PRIMARY KEY NOT NULL,
	`length` integer NOT NULL,
	`complete` integer DEFAULT false NOT NULL,
	`case_id` text,
	`message_id` text,
	FOREIGN KEY (`case_id`) REFERENCES `cases`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`message_id`) REFERENCES `case_messages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `uploads_case_idx` ON `uploads` (`case_id`);--> statement-breakpoint
CREATE INDEX `uploads_message_idx` ON `uploads` (`message_id`);--> statement-breakpoint
ALTER TABLE `case_messages` ADD `sealed_by` text DEFAULT 'browser' NOT NULL;--> statement-breakpoint
ALTER TABLE `cases` ADD `server_follow_up` integer DEFAULT false NOT NULL;