-- wrk requests for scripts/load_api.sh. MODE=create posts a new contact
-- (SMS consent) per request; MODE=send posts a transactional SMS to one of
-- the first CONTACTS of them, round-robin, so no recipient nears its limit
-- of 20 sends an hour. THREADS must match wrk's -t: each thread counts in
-- its own stride, so no two requests name one new number.
local mode = os.getenv("MODE") or "send"
local threads = tonumber(os.getenv("THREADS") or "2")
local contacts = tonumber(os.getenv("CONTACTS") or "20000")
local areas = {"415", "650", "212", "312", "617", "206", "303", "512", "702", "808"}
local counter = 0
local started = 0
-- Added to the -H headers (a header table given to wrk.format would replace them).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

function setup(thread)
    thread:set("offset", started)
    started = started + 1
end

-- The n-th number: +1 <area> 555 <4 digits>, 100,000 of them.
local function phone(n)
    local area = areas[math.floor(n / 10000) % #areas + 1]
    return string.format("+1%s555%04d", area, n % 10000)
end

function request()
    local n = offset + counter * threads
    counter = counter + 1
    local body
    if mode == "create" then
        body = string.format('{"phone": "%s", "smsOptedIn": true}', phone(n))
    else
        body = string.format(
            '{"to": "%s", "type": "text", "text": "Your code is %04d", "channel": "sms", "kind": "transactional"}',
            phone(n % contacts), n % 10000)
    end
    return wrk.format(nil, nil, nil, body)
end
