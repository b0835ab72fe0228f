-- The owners' lead list: newest first with keyset pagination over (created_at, submission_id),
-- optionally of one source or one stage, and a free-text search over name, email and company.
create index leads_list_idx on leads (created_at desc, submission_id desc);
create index leads_list_source_idx on leads (source, created_at desc, submission_id desc);
create index leads_list_stage_idx on leads (stage, created_at desc, submission_id desc);

-- Substring search by trigrams (FTS5, case-insensitive), over the `leads` rows themselves
-- (external content: the text is not stored twice). It is keyed by the leads' rowid, which a
-- VACUUM may renumber: after one, run `insert into leads_search(leads_search) values('rebuild')`.
-- Only writes of name, email or company touch it, so webhook updates of a lead do not.
create virtual table leads_search using fts5(
    name, email, company,
    content='leads', content_rowid='rowid', tokenize='trigram'
);

insert into leads_search (rowid, name, email, company)
    select rowid, name, email, coalesce(company, '') from leads;

create trigger leads_search_insert after insert on leads begin
    insert into leads_search (rowid, name, email, company)
        values (new.rowid, new.name, new.email, coalesce(new.company, ''));
end;

create trigger leads_search_delete after delete on leads begin
    insert into leads_search (leads_search, rowid, name, email, company)
        values ('delete', old.rowid, old.name, old.email, coalesce(old.company, ''));
end;

create trigger leads_search_update after update of name, email, company on leads begin
    insert into leads_search (leads_search, rowid, name, email, company)
        values ('delete', old.rowid, old.name, old.email, coalesce(old.company, ''));
    insert into leads_search (rowid, name, email, company)
        values (new.rowid, new.name, new.email, coalesce(new.company, ''));
end;
