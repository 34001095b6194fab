CREATE TABLE "code_notes" (
	"id" serial PRIMARY KEY NOT NULL,
	"version_id" integer NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"char" text,
	"source" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "code_set_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"system" text NOT NULL,
	"version" text NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date,
	"checksum" text NOT NULL,
	"sources" jsonb NOT NULL,
	"stats" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"loaded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "code_set_versions_system_version" UNIQUE("system","version")
);
--> statement-breakpoint
CREATE TABLE "codes" (
	"version_id" integer NOT NULL,
	"system" text NOT NULL,
	"code" text NOT NULL,
	"billable" boolean NOT NULL,
	"short_desc" text NOT NULL,
	"long_desc" text NOT NULL,
	"ord" integer NOT NULL,
	"parent" text,
	"category" text,
	"block" text,
	"chapter" integer,
	CONSTRAINT "codes_version_id_code_pk" PRIMARY KEY("version_id","code")
);
--> statement-breakpoint
CREATE TABLE "code_terms" (
	"id" serial PRIMARY KEY NOT NULL,
	"version_id" integer NOT NULL,
	"system" text NOT NULL,
	"code" text NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"text" text NOT NULL,
	"text_hash" text NOT NULL,
	"path" jsonb,
	"modifiers" jsonb,
	"incomplete" boolean DEFAULT false NOT NULL,
	"tsv" "tsvector" GENERATED ALWAYS AS (to_tsvector('english'::regconfig, "text")) STORED NOT NULL
);
--> statement-breakpoint
CREATE TABLE "index_state" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"model_id" text NOT NULL,
	"dimension" integer NOT NULL,
	"built_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "term_embeddings" (
	"system" text NOT NULL,
	"text_hash" text NOT NULL,
	"model_id" text NOT NULL,
	"embedding" vector NOT NULL,
	CONSTRAINT "term_embeddings_system_text_hash_pk" PRIMARY KEY("system","text_hash")
);
--> statement-breakpoint
ALTER TABLE "code_notes" ADD CONSTRAINT "code_notes_version_id_code_set_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."code_set_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "codes" ADD CONSTRAINT "codes_version_id_code_set_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."code_set_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "code_terms" ADD CONSTRAINT "code_terms_version_id_code_set_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."code_set_versions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "code_notes_code_idx" ON "code_notes" USING btree ("version_id","code");--> statement-breakpoint
CREATE INDEX "codes_parent_idx" ON "codes" USING btree ("version_id","parent");--> statement-breakpoint
CREATE INDEX "code_terms_tsv_idx" ON "code_terms" USING gin ("tsv");--> statement-breakpoint
CREATE INDEX "code_terms_code_idx" ON "code_terms" USING btree ("version_id","code");--> statement-breakpoint
CREATE INDEX "code_terms_hash_idx" ON "code_terms" USING btree ("text_hash");