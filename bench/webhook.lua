-- wrk script: POSTs TrackDrive-shaped webhooks, each with a call id no other request uses.
-- wrk -s bench/webhook.lua http://host:port/webhooks/trackdrive?token=... (the run prefix comes from WRK_PREFIX)
-- thread_id is a global on purpose: setup() sets it in each thread's own Lua state, and a local would shadow it
local counter = 0
local prefix = os.getenv("WRK_PREFIX") or "wh"
local threads = 0
thread_id = 0

function setup(thread)
  thread:set("thread_id", threads)
  threads = threads + 1
end

request = function()
  counter = counter + 1
  local id = prefix .. "-" .. thread_id .. "-" .. counter
  local body = '{"event":"call_ended","call":{"id":"' .. id .. '","uuid":"U' .. id .. '",' ..
    '"created_at":"2026-11-23T09:00:00-05:00","caller_number":"+1303555' .. string.format("%04d", counter % 10000) .. '",' ..
    '"number_called":"+18885550100","offer":"Auto Insurance","offer_id":77,"traffic_source":"Pub A",' ..
    '"status":"finished","total_duration":' .. (counter % 600) .. ',"buyer_revenue":"12.50",' ..
    '"buyer_converted":"Converted","token_values":{"zip":"80202"}}}'
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
