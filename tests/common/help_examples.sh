#!/usr/bin/env bash
# demo.help-examples: the example every program's --help shows runs as shown.
# A server's example runs with the client of the same scenario and address;
# a client's example with the server of the same scenario (a scenario whose
# client expects no server, like refused-connected, gets one that ends at once
# or none: both are what the client expects). Both ends must exit 0.
# shellcheck source=SCRIPTDIR/demo.sh
source "${SOCKLAB_TEST_COMMON:?}/demo.sh"

# partner ARGS...: set PARTNER_ARGS to the other end's --scenario and address.
partner() {
    local scenario=graceful addr=
    while (($#)); do
        case $1 in
        --scenario) scenario=$2 ;;
        --bind | --host) addr=$2 ;;
        esac
        shift
    done
    PARTNER_ARGS=(--scenario "$scenario")
    PARTNER_ADDR=$addr
}

n=0
for prog in close-server close-client udp-server udp-client backlog-server backlog-client tcp-peer; do
    # The examples are read from the English text (in a Chinese run too).
    mapfile -t help < <(LANGUAGE='' LC_ALL=C.UTF-8 "$BIN/$prog" --help)
    on=0
    for l in "${help[@]}"; do
        [[ $l == [Ee]xample* ]] && { on=1; continue; }
        ((on)) || continue
        l=${l#"${l%%[! ]*}"}         # leading blanks
        l=${l#terminal [0-9]: }      # "terminal 1: ..."
        read -r -a words <<<"$l"
        [[ ${words[0]:-} == "$prog" ]] || continue
        partner "${words[@]:1}"
        case $prog in
        *-server)
            other=${prog%-server}-client
            start_server "$prog" "${words[@]:1}" --timeout 3000
            more=()
            [[ -n $PARTNER_ADDR ]] && more=(--host "$PARTNER_ADDR")
            run_client "$other" 0 "${PARTNER_ARGS[@]}" "${more[@]}" --timeout 3000
            wait_server 0
            ;;
        tcp-peer) # both ends in one process
            run_client "$prog" 0 "${words[@]:1}" --timeout 3000
            ;;
        *-client)
            other=${prog%-client}-server
            more=()
            [[ -n $PARTNER_ADDR ]] && more=(--bind "$PARTNER_ADDR")
            start_server "$other" "${PARTNER_ARGS[@]}" "${more[@]}" --timeout 3000
            run_client "$prog" 0 "${words[@]:1}" --timeout 3000
            wait_server 0
            ;;
        esac
        echo "ok: $l"
        n=$((n + 1))
    done
done
((n >= 7)) || fail "found only $n examples in the seven --help texts"
echo "PASS: $n --help examples run as shown"
