-- Approves, marks as shown without area, or deletes the stored free-text answers of one survey
-- that match, atomically.
-- ARGV[1] the texts list key, ARGV[2] match kind: 'id' | 'response' | 'before' (receivedAt
-- earlier than ARGV[3]; ISO strings from toISOString compare in time order), ARGV[3] the
-- value, ARGV[4] 'approve' | 'hide-area' | 'delete'. Returns the matching texts' JSON as they were.
local key, kind, value, change = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local matched = {}
for i, json in ipairs(redis.call('LRANGE', key, 0, -1)) do
  -- An entry Redis cannot decode (none should exist: ingest keeps strings well-formed) is
  -- skipped rather than failing every edit of the survey's texts.
  local ok, text = pcall(cjson.decode, json)
  local hit = ok and ((kind == 'id' and text.id == value)
    or (kind == 'response' and text.responseId == value)
    or (kind == 'before' and text.receivedAt < value))
  if hit then
    matched[#matched + 1] = json
    if change == 'delete' then
      redis.call('LREM', key, 1, json)
    elseif change == 'hide-area' or text.status == 'pending' then
      if change == 'hide-area' then text.areaHidden = true else text.status = 'approved' end
      -- Neither change removes, so indexes stay valid through the loop.
      redis.call('LSET', key, i - 1, cjson.encode(text))
    end
  end
end
return matched
