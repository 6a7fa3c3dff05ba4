%% The virtual clock read by the renamed supervisor copy (vsupervisor) in place of
%% erlang:monotonic_time(1). The driver sets the scenario's virtual time in milliseconds;
%% the supervisor sees floor(at / 1000) seconds, so intensity windows are exact.
-module(sconf_vclock).
-export([init/0, set_ms/1, get_ms/0, monotonic_time/1]).

init() ->
    persistent_term:put(?MODULE, atomics:new(1, [{signed, true}])),
    set_ms(0).

set_ms(Ms) -> atomics:put(persistent_term:get(?MODULE), 1, Ms).

get_ms() -> atomics:get(persistent_term:get(?MODULE), 1).

monotonic_time(Unit) when Unit =:= 1; Unit =:= second -> floor_div(get_ms(), 1000);
monotonic_time(Unit) when Unit =:= 1000; Unit =:= millisecond -> get_ms();
monotonic_time(Unit) -> erlang:error({unsupported_virtual_time_unit, Unit}).

floor_div(A, B) when A >= 0 -> A div B;
floor_div(A, B) -> -((-A + B - 1) div B).
