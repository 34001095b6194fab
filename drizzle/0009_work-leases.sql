ALTER TABLE "notes" ADD COLUMN "locked_by" text;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "suggested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD COLUMN "locked_by" text;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "notes_suggested_idx" ON "notes" USING btree ("suggested_at");