%% A logger handler that forwards supervisor reports (start_error, child_terminated,
%% shutdown_error, shutdown) to the driver. Logger calls handlers in the logging process,
%% so self() is the supervisor that reported.
-module(sconf_report).
-export([log/2]).

log(#{msg := {report, #{label := {supervisor, Ctx}, report := Report}}}, _Config)
  when Ctx =/= progress ->
    Reason = proplists:get_value(reason, Report),
    Offender = proplists:get_value(offender, Report, []),
    case whereis(sconf_director) of
        undefined -> ok;
        Pid -> Pid ! {report, self(), Ctx, Reason, Offender}
    end,
    ok;
log(_, _) ->
    ok.
