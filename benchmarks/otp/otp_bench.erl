%% Measures OTP's own supervisor on the things benchmarks/ measures on the .NET engine:
%% one_for_one restart latency and sustained restarts per second, rest_for_one and one_for_all
%% cascades (crash of the first child), a crash beyond the restart intensity, start_child and
%% terminate_child on a simple_one_for_one supervisor holding 100,000 children, and the bytes the
%% supervisor holds per child.
%%
%% Run it through run-otp.sh. Output: one "key<TAB>value<TAB>unit" line per figure on stdout (the
%% keys are the ones benchmarks/Comparison reads), progress on stderr.
%%
%% Workers are plain linked processes that wait forever; their start function tells the benchmark
%% process when it ran, which is how "restarted" is observed. Logging is switched off (level none),
%% since the .NET engine emits its reports as decisions and formats nothing.
-module(otp_bench).
-behaviour(supervisor).

-export([main/0, main/1, init/1, start_notify/1, start_quiet/0, worker/0]).

-define(NOW, erlang:monotonic_time(nanosecond)).

%% ---------------------------------------------------------------- supervisor callback

init({Flags, Specs}) -> {ok, {Flags, Specs}}.

%% ---------------------------------------------------------------- workers

start_notify(Bench) ->
    Pid = spawn_link(fun worker/0),
    Bench ! {started, Pid},
    {ok, Pid}.

start_quiet() ->
    {ok, spawn_link(fun worker/0)}.

worker() ->
    receive _ -> worker() end.

%% ---------------------------------------------------------------- entry point

main() -> main([]).

main(_) ->
    logger:set_primary_config(level, none),
    process_flag(trap_exit, true),
    Results =
        restart_latency()
        ++ restart_sustained()
        ++ lists:append([cascade(Strategy, N) || Strategy <- [rest_for_one, one_for_all], N <- [10, 100, 1000]])
        ++ give_up()
        ++ simple_one_for_one(100000, 8192)
        ++ static_bytes(1000)
        ++ static_bytes(10000),
    [io:format("~s\t~s\t~s~n", [Key, format(Value), Unit]) || {Key, Value, Unit} <- Results],
    ok.

format(V) when is_integer(V) -> integer_to_list(V);
format(V) -> float_to_list(float(V), [{decimals, 1}]).

progress(Format, Args) -> io:format(standard_error, "otp_bench: " ++ Format ++ "~n", Args).

%% ---------------------------------------------------------------- helpers

worker_spec(Id, Start) ->
    #{id => Id, start => Start, restart => permanent, shutdown => 5000, type => worker}.

start_sup(Flags, Specs) ->
    {ok, Sup} = supervisor:start_link(?MODULE, {Flags, Specs}),
    Sup.

stop_sup(Sup) ->
    unlink(Sup),
    Ref = monitor(process, Sup),
    exit(Sup, shutdown),
    receive {'DOWN', Ref, process, Sup, _} -> ok end,
    flush().

flush() ->
    receive _ -> flush() after 0 -> ok end.

await_started(0, Last) -> Last;
await_started(N, _) -> receive {started, Pid} -> await_started(N - 1, Pid) end.

median(Samples) ->
    Sorted = lists:sort(Samples),
    lists:nth((length(Sorted) + 1) div 2, Sorted).

notified_children(N) ->
    Self = self(),
    [worker_spec({w, I}, {?MODULE, start_notify, [Self]}) || I <- lists:seq(1, N)].

%% Starts a supervisor of N notifying workers and returns it with the pid of its first child.
notified_sup(Strategy, N, Intensity, Period) ->
    Sup = start_sup(#{strategy => Strategy, intensity => Intensity, period => Period}, notified_children(N)),
    Pids = [receive {started, P} -> P end || _ <- lists:seq(1, N)],
    {Sup, hd(Pids)}.

%% ---------------------------------------------------------------- one_for_one restarts

%% Crash -> restarted, one restart at a time, with a small restart window (a fresh supervisor every
%% 10 restarts): the latency of the restart itself. Median of 20,000 restarts.
restart_latency() ->
    progress("one_for_one restart latency", []),
    Samples = lists:append([restart_batch(10) || _ <- lists:seq(1, 2000)]),
    Ns = median(Samples),
    [{"restart.one_for_one.latency_ns", Ns, "ns"}].

restart_batch(Restarts) ->
    {Sup, First} = notified_sup(one_for_one, 8, 1000000, 1),
    {Samples, _} = lists:foldl(
        fun(_, {Acc, Pid}) ->
            T0 = ?NOW,
            exit(Pid, boom),
            New = await_started(1, Pid),
            {[?NOW - T0 | Acc], New}
        end, {[], First}, lists:seq(1, Restarts)),
    stop_sup(Sup),
    Samples.

%% Back-to-back restarts of one child with the .NET benchmark's flags (intensity 1,000,000, period
%% 1 s): OTP keeps every restart of the last period in a list that it walks on each restart, so the
%% rate depends on how many restarts the window holds.
restart_sustained() ->
    progress("one_for_one sustained restarts", []),
    Count = 20000,
    {Sup, First} = notified_sup(one_for_one, 8, 1000000, 1),
    T0 = ?NOW,
    lists:foldl(fun(_, Pid) -> exit(Pid, boom), await_started(1, Pid) end, First, lists:seq(1, Count)),
    Elapsed = ?NOW - T0,
    stop_sup(Sup),
    [{"restart.one_for_one.sustained_ns", Elapsed / Count, "ns"},
     {"restart.one_for_one.per_second", Count * 1.0e9 / Elapsed, "restarts/s"}].

%% ---------------------------------------------------------------- cascades

%% The first child crashes: every child is stopped (newest first) and started again. Measured from the
%% crash to the last child's start. Median over a number of cascades that shrinks with N.
cascade(Strategy, N) ->
    progress("~p cascade of ~p", [Strategy, N]),
    Rounds = max(20, 2000 div N),
    {Sup, First} = notified_sup(Strategy, N, 1000000, 1),
    {Samples, _} = lists:foldl(
        fun(_, {Acc, Pid}) ->
            T0 = ?NOW,
            exit(Pid, boom),
            % The first child is the first to start again; wait for all N.
            New = receive {started, P} -> P end,
            await_started(N - 1, New),
            {[?NOW - T0 | Acc], New}
        end, {[], First}, lists:seq(1, Rounds)),
    stop_sup(Sup),
    Key = io_lib:format("cascade.~s.~p_ns", [Strategy, N]),
    [{lists:flatten(Key), median(Samples), "ns"}].

%% ---------------------------------------------------------------- giving up

%% A one_for_one supervisor of 8 workers with intensity 1: the second crash within the period makes it
%% give up: it stops its other children and exits. Measured from that crash to the supervisor's exit.
give_up() ->
    progress("crash beyond intensity", []),
    Samples = [give_up_once() || _ <- lists:seq(1, 500)],
    [{"giveup.one_for_one.8_ns", median(Samples), "ns"}].

give_up_once() ->
    {Sup, First} = notified_sup(one_for_one, 8, 1, 5),
    unlink(Sup),
    Ref = monitor(process, Sup),
    exit(First, boom),
    Again = await_started(1, First),
    T0 = ?NOW,
    exit(Again, boom),
    receive {'DOWN', Ref, process, Sup, _} -> ok end,
    Elapsed = ?NOW - T0,
    flush(),
    Elapsed.

%% ---------------------------------------------------------------- simple_one_for_one

%% A simple_one_for_one supervisor holding Population children: Calls start_child calls, then Calls
%% terminate_child calls of the oldest instances (back to Population). Mean time per call. Then the
%% memory the supervisor holds per child.
simple_one_for_one(Population, Calls) ->
    progress("simple_one_for_one with ~p children", [Population]),
    Flags = #{strategy => simple_one_for_one, intensity => 1000000, period => 1},
    Template = (worker_spec(conn, {?MODULE, start_quiet, []}))#{restart => transient},
    Empty = start_sup(Flags, [Template]),
    EmptyBytes = sup_memory(Empty),
    ProcessesBefore = erlang:memory(processes),
    Pids = [begin {ok, P} = supervisor:start_child(Empty, []), P end || _ <- lists:seq(1, Population)],
    SupBytes = sup_memory(Empty),
    ProcessesAfter = erlang:memory(processes),
    T0 = ?NOW,
    Started = [begin {ok, P} = supervisor:start_child(Empty, []), P end || _ <- lists:seq(1, Calls)],
    StartNs = (?NOW - T0) / Calls,
    {Oldest, _} = lists:split(Calls, Pids ++ Started),
    T1 = ?NOW,
    [ok = supervisor:terminate_child(Empty, P) || P <- Oldest],
    TerminateNs = (?NOW - T1) / Calls,
    stop_sup(Empty),
    [{"s1o1.start_child_ns", StartNs, "ns"},
     {"s1o1.terminate_child_ns", TerminateNs, "ns"},
     {"bytes_per_child.s1o1", (SupBytes - EmptyBytes) / Population, "bytes"},
     {"bytes_per_child.s1o1.with_process", (ProcessesAfter - ProcessesBefore) / Population, "bytes"}].

%% ---------------------------------------------------------------- static children memory

%% The supervisor process's memory with N static children, less an empty supervisor's, per child.
static_bytes(N) ->
    progress("static supervisor with ~p children", [N]),
    Flags = #{strategy => one_for_one, intensity => 10, period => 5},
    Empty = start_sup(Flags, []),
    EmptyBytes = sup_memory(Empty),
    stop_sup(Empty),
    Specs = [worker_spec({worker, I}, {?MODULE, start_quiet, []}) || I <- lists:seq(1, N)],
    Sup = start_sup(Flags, Specs),
    Bytes = sup_memory(Sup),
    stop_sup(Sup),
    [{lists:flatten(io_lib:format("bytes_per_child.static.~p", [N])), (Bytes - EmptyBytes) / N, "bytes"}].

sup_memory(Sup) ->
    true = erlang:garbage_collect(Sup),
    {memory, Bytes} = erlang:process_info(Sup, memory),
    Bytes.
