CREATE TABLE "coding_audits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"note_id" uuid NOT NULL,
	"coder_id" uuid,
	"auditor_id" uuid NOT NULL,
	"items" jsonb NOT NULL,
	"engine_codes" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" uuid NOT NULL,
	"record_key" text NOT NULL,
	"revision" integer NOT NULL,
	"note_id" uuid,
	"text" text NOT NULL,
	"encounter" jsonb NOT NULL,
	"gold" jsonb NOT NULL,
	"outcomes" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"versions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"coder_id" uuid,
	"finalized_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dataset_version_records" (
	"version_id" uuid NOT NULL,
	"record_id" bigint NOT NULL,
	CONSTRAINT "dataset_version_records_version_id_record_id_pk" PRIMARY KEY("version_id","record_id")
);
--> statement-breakpoint
CREATE TABLE "dataset_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_id" uuid NOT NULL,
	"name" text NOT NULL,
	"records" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "datasets_name_unique" UNIQUE("name"),
	CONSTRAINT "datasets_kind_check" CHECK ("datasets"."kind" in ('decisions', 'imported'))
);
--> statement-breakpoint
CREATE TABLE "eval_predictions" (
	"run_id" uuid NOT NULL,
	"record_id" bigint NOT NULL,
	"predicted" jsonb NOT NULL,
	"error" text,
	"ms" real NOT NULL,
	CONSTRAINT "eval_predictions_run_id_record_id_pk" PRIMARY KEY("run_id","record_id")
);
--> statement-breakpoint
CREATE TABLE "eval_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"dataset_version_id" uuid NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"config" jsonb NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"total" integer NOT NULL,
	"metrics" jsonb,
	"error" text,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	CONSTRAINT "eval_runs_status_check" CHECK ("eval_runs"."status" in ('queued', 'running', 'done', 'failed'))
);
--> statement-breakpoint
CREATE TABLE "second_codings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"note_id" uuid NOT NULL,
	"first_coder_id" uuid NOT NULL,
	"coder_id" uuid NOT NULL,
	"sample" text NOT NULL,
	"status" text DEFAULT 'assigned' NOT NULL,
	"first_codes" jsonb NOT NULL,
	"codes" jsonb,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "second_codings_status_check" CHECK ("second_codings"."status" in ('assigned', 'done')),
	CONSTRAINT "second_codings_other_coder" CHECK ("second_codings"."first_coder_id" <> "second_codings"."coder_id")
);
--> statement-breakpoint
ALTER TABLE "coding_audits" ADD CONSTRAINT "coding_audits_note_id_notes_id_fk" FOREIGN KEY ("note_id") REFERENCES "public"."notes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_audits" ADD CONSTRAINT "coding_audits_coder_id_users_id_fk" FOREIGN KEY ("coder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "coding_audits" ADD CONSTRAINT "coding_audits_auditor_id_users_id_fk" FOREIGN KEY ("auditor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_records" ADD CONSTRAINT "dataset_records_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_records" ADD CONSTRAINT "dataset_records_coder_id_users_id_fk" FOREIGN KEY ("coder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_version_records" ADD CONSTRAINT "dataset_version_records_version_id_dataset_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_version_records" ADD CONSTRAINT "dataset_version_records_record_id_dataset_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."dataset_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dataset_versions" ADD CONSTRAINT "dataset_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "datasets" ADD CONSTRAINT "datasets_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_predictions" ADD CONSTRAINT "eval_predictions_run_id_eval_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."eval_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_predictions" ADD CONSTRAINT "eval_predictions_record_id_dataset_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."dataset_records"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_dataset_version_id_dataset_versions_id_fk" FOREIGN KEY ("dataset_version_id") REFERENCES "public"."dataset_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "eval_runs" ADD CONSTRAINT "eval_runs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_codings" ADD CONSTRAINT "second_codings_note_id_notes_id_fk" FOREIGN KEY ("note_id") REFERENCES "public"."notes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_codings" ADD CONSTRAINT "second_codings_first_coder_id_users_id_fk" FOREIGN KEY ("first_coder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_codings" ADD CONSTRAINT "second_codings_coder_id_users_id_fk" FOREIGN KEY ("coder_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "second_codings" ADD CONSTRAINT "second_codings_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "coding_audits_note_idx" ON "coding_audits" USING btree ("note_id");--> statement-breakpoint
CREATE INDEX "coding_audits_created_idx" ON "coding_audits" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_records_key_idx" ON "dataset_records" USING btree ("dataset_id","record_key","revision");--> statement-breakpoint
CREATE INDEX "dataset_records_finalized_idx" ON "dataset_records" USING btree ("dataset_id","finalized_at");--> statement-breakpoint
CREATE UNIQUE INDEX "dataset_versions_name_idx" ON "dataset_versions" USING btree ("dataset_id","name");--> statement-breakpoint
CREATE INDEX "eval_runs_created_idx" ON "eval_runs" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "second_codings_coder_idx" ON "second_codings" USING btree ("coder_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "second_codings_note_sample_idx" ON "second_codings" USING btree ("note_id","sample");--> statement-breakpoint
-- Dataset records and frozen versions are append-only: a snapshot must mean forever what it meant when
-- a QA lead froze it, and a re-finalized note adds a revision instead of overwriting one.
CREATE OR REPLACE FUNCTION dataset_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER dataset_records_append_only BEFORE UPDATE OR DELETE ON "dataset_records" FOR EACH ROW EXECUTE FUNCTION dataset_append_only();
--> statement-breakpoint
CREATE TRIGGER dataset_versions_append_only BEFORE UPDATE OR DELETE ON "dataset_versions" FOR EACH ROW EXECUTE FUNCTION dataset_append_only();
--> statement-breakpoint
CREATE TRIGGER dataset_version_records_append_only BEFORE UPDATE OR DELETE ON "dataset_version_records" FOR EACH ROW EXECUTE FUNCTION dataset_append_only();
--> statement-breakpoint
INSERT INTO "datasets" ("name", "kind", "description") VALUES ('decisions', 'decisions', 'Final codes of every finalized note, with the outcome of each suggestion') ON CONFLICT DO NOTHING;
