-- The owners' lead list: newest first with keyset pagination over (created_at, submission_id),
-- optionally of one source or one stage, and a free-text search over name, email and company.
create index leads_list_idx on leads (created_at desc, submission_id desc);
create index leads_list_source_idx on leads (source, created_at desc, submission_id desc);
create index leads_list_stage_idx on leads (stage, created_at desc, submission_id desc);

-- Substring search (`like '%…%'`) over the lowercased text, by trigrams. The expression is
-- spelt exactly so in the list's query; any other spelling would not use the index.
create extension if not exists pg_trgm;
create index leads_search_trgm_idx on leads
    using gin ((lower(name || ' ' || email || ' ' || coalesce(company, ''))) gin_trgm_ops);
