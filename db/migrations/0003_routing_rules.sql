CREATE TABLE `routing_rules` (
	`position` integer PRIMARY KEY NOT NULL,
	`team_id` text NOT NULL,
	`categories` text DEFAULT '[]' NOT NULL,
	`countries` text DEFAULT '[]' NOT NULL,
	`languages` text DEFAULT '[]' NOT NULL,
	`urgent` integer,
	FOREIGN KEY (`team_id`) REFERENCES `teams`(`id`) ON UPDATE no action ON DELETE no action
);
