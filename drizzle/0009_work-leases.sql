CREATE TABLE "eval_record_leases" (
	"run_id" uuid NOT NULL,
	"record_id" bigint NOT NULL,
	"locked_by" text NOT NULL,
	"locked_until" timestamp with time zone NOT NULL,
	CONSTRAINT "eval_record_leases_run_id_record_id_pk" PRIMARY KEY("run_id","record_id")
);
--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "locked_by" text;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "locked_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "notes" ADD COLUMN "suggested_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "eval_record_leases" ADD CONSTRAINT "eval_record_leases_run_id_eval_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."eval_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_record_leases" ADD CONSTRAINT "eval_record_leases_record_id_dataset_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."dataset_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "notes_suggested_idx" ON "notes" USING btree ("suggested_at");