%% Conformance driver: runs a scenario (docs/SCENARIO-FORMAT.md) on real OTP supervisors and
%% prints its trace (docs/TRACE-RULES.md).
%%
%% How it works (see conformance/README.md for the long version):
%%  * The supervisors are real: vsupervisor is the installed supervisor.erl, renamed, with
%%    only its clock call (erlang:monotonic_time(1)) redirected to sconf_vclock.
%%  * Every worker is a puppet (sconf_child) that does nothing by itself: the driver (this
%%    module, registered as sconf_director) decides every start outcome and every exit.
%%  * The driver observes the supervisors without changing them: call tracing of a few
%%    vsupervisor functions (unlink_flush/2 = "termination of a child completed, with this
%%    reason"; shutdown/1 and terminate_dynamic_children/1 = "shutdown timer armed";
%%    handle_call/3 = "reply sent"; handle_info/2, handle_cast/2 returning stop = "gives
%%    up / shuts itself down"), a logger handler for reports, and monitors.
%%  * Virtual time is discrete-event: the node runs with one scheduler; the driver applies
%%    the next event only when every process is idle (run queue empty, own mailbox empty).
%%    Starts and stops take no virtual time; stop_delay completions are driver events. The
%%    only real-time waits are OTP's own shutdown timers; the driver models each armed
%%    timer (deadline = now + shutdown) and, while one is armed, paces virtual time
%%    against the real clock (scale SCONF_SCALE, default 1), so the real timer fires exactly
%%    when the virtual clock reaches its deadline. Printed times are therefore the exact
%%    virtual times; a real timer firing early is detected and reported (exit code 3).
-module(sconf_driver).
-export([main/0, main/1, run_file/2, setup/0]).

-record(st, {
          scen, nodes, root_nid, root_path, scale = 1,
          now = 0, seq = 0,
          lines = [],                 % reversed [{At, iodata}]
          steps = [],
          events = gb_sets:new(),     % {Time, Class, Seq, Event}
          tie = timer_first,          % timer_first | child_first (SCONF_TIE)
          procs = #{},                % Pid => proc map (workers and supervisors)
          live = #{},                 % Path => Pid of its current incarnation
          order = #{},                % SupPid => [ChildId], newest first (static supervisors)
          plans = #{},                % Path => {fail, Reason, Times} | {ignore, Times}
          delays = #{},               % Path => Ms | never
          tokens = #{},               % Token => {InstPath, provisional | confirmed}
          insts = #{},                % InstPath => #{pid, state, sup}
          counters = #{},             % TmplPath => last instance number
          timers = #{},               % Pid => virtual deadline of an armed supervisor timer
          brutal = #{},               % Pid => true: a brutal kill was sent
          anchor,                     % undefined | {RealMs, VirtualMs}
          calls = #{},                % HelperPid => call map
          hc = #{}, uf = #{},         % per supervisor: pending handle_call / unlink_flush
          deferred = [],              % [{SupPid, iodata}] replies waiting for an end line
          root, root_state = starting, root_owner, stranger,
          errors = []                 % [{Code, Message}]
         }).

-define(SLACK_MS, 5000).

%% =======================================================================================
%% Entry points

%% erl -noshell -s sconf_driver main -extra FILE            -> trace on stdout, exit code
%% erl -noshell -s sconf_driver main -extra --out DIR F...  -> DIR/<base>.trace and .status
main() ->
    main(init:get_plain_arguments()).

main(Args) ->
    try
        setup(),
        Scale = scale(),
        case Args of
            ["--out", Dir | Files] ->
                ok = filelib:ensure_dir(filename:join(Dir, "x")),
                lists:foreach(fun(F) -> batch_one(F, Dir, Scale) end, Files),
                halt(0);
            [File] ->
                {Code, Out, Diag, RealMs} = run_file(File, Scale),
                io:put_chars(Out),
                [io:format(standard_error, "~ts~n", [Diag]) || Diag =/= ""],
                io:format(standard_error, "# ~ts: ~p ms real~n", [File, RealMs]),
                halt(Code);
            _ ->
                io:format(standard_error,
                          "usage: sconf_driver main SCENARIO.json | --out DIR SCENARIO.json...~n",
                          []),
                halt(2)
        end
    catch Class:Reason:Stack ->
            io:format(standard_error, "driver failure: ~p:~p~n~p~n", [Class, Reason, Stack]),
            halt(4)
    end.

batch_one(File, Dir, Scale) ->
    Base = filename:rootname(filename:basename(File)),
    {Code, Out, Diag, RealMs} = run_file(File, Scale),
    ok = file:write_file(filename:join(Dir, Base ++ ".trace"), Out),
    ok = file:write_file(filename:join(Dir, Base ++ ".status"),
                         io_lib:format("~p ~p ~ts~n", [Code, RealMs, Diag])).

scale() ->
    case os:getenv("SCONF_SCALE") of
        false -> 1;
        S -> case string:to_integer(S) of
                 {N, ""} when N >= 1 -> N;
                 _ -> 1
             end
    end.

setup() ->
    %% Load everything a run may call, so that no process waits on the code server.
    Mods = [vsupervisor, sconf_child, sconf_sup, sconf_report, sconf_vclock, sconf_json,
            sconf_scen, gen_server, gen, proc_lib, sys, logger, logger_backend, logger_config,
            logger_server, logger_filters, erl_tracer, maps, lists, proplists, io_lib,
            io_lib_format, re, gb_sets, gb_trees, unicode, string, filename, filelib,
            erl_anno, error_handler],
    [{module, _} = code:ensure_loaded(M) || M <- Mods],
    sconf_vclock:init(),
    _ = logger:remove_handler(default),
    ok = logger:add_handler(sconf_report, sconf_report, #{level => all}),
    ok = logger:set_primary_config(level, error),
    RT = [{'_', [], [{return_trace}]}],
    1 = erlang:trace_pattern({vsupervisor, unlink_flush, 2}, RT, [local]),
    1 = erlang:trace_pattern({vsupervisor, shutdown, 1}, true, [local]),
    1 = erlang:trace_pattern({vsupervisor, terminate_dynamic_children, 1}, true, [local]),
    1 = erlang:trace_pattern({vsupervisor, handle_call, 3}, RT, [local]),
    1 = erlang:trace_pattern({vsupervisor, handle_info, 2}, RT, [local]),
    1 = erlang:trace_pattern({vsupervisor, handle_cast, 2}, RT, [local]),
    ok.

%% -> {ExitCode, TraceText, Diagnostic, RealMs}
run_file(File, Scale) ->
    T0 = erlang:monotonic_time(millisecond),
    Result =
        case sconf_scen:load(File) of
            {invalid, Msg} ->
                {2, [], Msg};
            {ok, Scen} ->
                Self = self(),
                {Pid, Ref} = spawn_monitor(fun() -> director(Scen, Scale, Self) end),
                receive
                    {director_done, Pid, Code, Lines, Diag, Pids} ->
                        erlang:demonitor(Ref, [flush]),
                        cleanup(Pids),
                        {Code, Lines, Diag};
                    {'DOWN', Ref, process, Pid, Why} ->
                        {4, [], io_lib:format("driver crashed: ~p", [Why])}
                after 600000 ->
                        exit(Pid, kill),
                        {4, [], "driver timed out (600 s real time)"}
                end
        end,
    {Code1, Lines1, Diag1} = Result,
    {Code1, Lines1, lists:flatten(io_lib:format("~ts", [Diag1])),
     erlang:monotonic_time(millisecond) - T0}.

cleanup(Pids) ->
    [exit(P, kill) || P <- Pids, is_pid(P)],
    [begin
         R = erlang:monitor(process, P),
         receive {'DOWN', R, _, _, _} -> ok after 1000 -> ok end
     end || P <- Pids, is_pid(P)],
    ok.

%% =======================================================================================
%% The director process

director(Scen, Scale, Parent) ->
    register(sconf_director, self()),
    sconf_vclock:set_ms(0),
    #{nodes := Nodes, root := RootNid, steps := Steps} = Scen,
    RootPath = maps:get(id, maps:get(RootNid, Nodes)),
    Stranger = spawn(fun() -> receive sconf_stop -> ok end end),
    Tie = case os:getenv("SCONF_TIE") of
              "child_first" -> child_first;
              _ -> timer_first
          end,
    St0 = #st{scen = Scen, nodes = Nodes, root_nid = RootNid, root_path = RootPath,
              scale = Scale, steps = Steps, stranger = Stranger, tie = Tie},
    try
        Owner = sconf_child:start_root(RootPath, RootNid),
        St1 = main_loop(St0#st{root_owner = Owner}),
        St2 = finish_calls(St1),
        {Code, Diag} = case lists:reverse(St2#st.errors) of
                           [] -> {0, ""};
                           Errs -> {lists:max([C || {C, _} <- Errs]),
                                    lists:join("\n", [M || {_, M} <- Errs])}
                       end,
        Parent ! {director_done, self(), Code, render_lines(St2), Diag, all_pids(St2)}
    catch Class:Reason:Stack ->
            Parent ! {director_done, self(), 4, [],
                      io_lib:format("driver error: ~p:~p~n~p", [Class, Reason, Stack]),
                      []}
    end.

all_pids(St) ->
    [St#st.root_owner, St#st.stranger] ++ maps:keys(St#st.procs) ++ maps:keys(St#st.calls).

main_loop(St0) ->
    St = settle(St0),
    case St#st.root_state of
        ended -> St;
        starting -> add_error(St, 4, "the root did not finish starting");
        _ ->
            case next_item(St) of
                {event, T, {pexit, _} = Ev, #st{tie = child_first} = St1} ->
                    main_loop(exec_event(Ev, advance_before_timers(T, St1)));
                {event, T, Ev, St1} -> main_loop(exec_event(Ev, advance(T, St1)));
                {step, T, Step, St1} -> main_loop(exec_step(Step, advance(T, St1)));
                none when St#st.root_state =:= running -> main_loop(implicit_stop(St));
                none -> add_error(St, 4, "deadlock: the tree can make no progress "
                              "(a child that never stops under an infinite shutdown?)")
            end
    end.

add_error(St, Code, Msg) ->
    St#st{errors = [{Code, lists:flatten(io_lib:format("~ts", [Msg]))} | St#st.errors]}.

%% Internal events first on a tie with a step (TRACE-RULES rule 11).
next_item(#st{events = Evs, steps = Steps} = St) ->
    E = case gb_sets:is_empty(Evs) of
            true -> none;
            false -> gb_sets:smallest(Evs)
        end,
    case {E, Steps} of
        {none, []} -> none;
        {{T, _, _, Ev} = Elem, [#{at := At} | _]} when T =< At ->
            {event, T, Ev, St#st{events = gb_sets:delete(Elem, Evs)}};
        {{T, _, _, Ev} = Elem, []} ->
            {event, T, Ev, St#st{events = gb_sets:delete(Elem, Evs)}};
        {_, [#{at := At} = Step | Rest]} ->
            {step, At, Step, St#st{steps = Rest}}
    end.

%% Wait until the whole node is idle: nothing in our mailbox, nothing runnable, and every
%% other process waiting (a process running on a dirty scheduler, e.g. the code server
%% reading a file, is in no run queue, hence the status check).
settle(St) ->
    receive
        Msg -> settle(handle(Msg, St))
    after 0 ->
            %% process_info/2 on another process is a signal round trip, during which the
            %% others run: so the mailbox is looked at again after the check, and the
            %% whole check must pass twice in a row.
            case quiet() andalso empty_mailbox() andalso quiet() andalso empty_mailbox() of
                true -> St;
                false -> erlang:yield(), settle(St)
            end
    end.

empty_mailbox() ->
    {message_queue_len, 0} =:= erlang:process_info(self(), message_queue_len).

quiet() ->
    erlang:statistics(total_run_queue_lengths_all) =:= 0 andalso
        lists:all(fun(P) -> P =:= self() orelse
                                case erlang:process_info(P, status) of
                                    {status, waiting} -> true;
                                    {status, suspended} -> true;
                                    undefined -> true;
                                    _ -> false
                                end
                  end, erlang:processes()).

%% Advance virtual time. While an OTP shutdown timer is armed, virtual time follows the
%% real clock (scaled) from the anchor taken when the first timer was armed.
advance(T, #st{now = Now} = St) when T =< Now -> St;
advance(T, #st{anchor = undefined} = St) -> set_now(T, St);
advance(T, #st{anchor = {R0, V0}, scale = K} = St) ->
    St1 = wait_real(R0 + (T - V0) * K, St),
    set_now(T, St1).

%% child_first: a child exit due at the same instant as an armed OTP timer must reach the
%% supervisor before that real timer fires, so the real clock is paced to one virtual
%% millisecond earlier (the printed time is still T).
advance_before_timers(T, #st{anchor = {_, _}, timers = Timers, now = Now} = St) when T > Now ->
    case lists:member(T, maps:values(Timers)) of
        true -> set_now(T, advance(T - 1, St));
        false -> advance(T, St)
    end;
advance_before_timers(T, St) ->
    advance(T, St).

set_now(T, St) ->
    sconf_vclock:set_ms(T),
    St#st{now = T}.

real_ms() -> erlang:monotonic_time(millisecond).

wait_real(Target, St) ->
    case Target - real_ms() of
        D when D =< 0 -> St;
        D -> receive Msg -> wait_real(Target, handle(Msg, St))
             after D -> St
             end
    end.

%% =======================================================================================
%% Events and steps

%% Events at the same instant run in the order they were scheduled (TRACE-RULES rule 11).
%% A supervisor arms its shutdown timer before its child even sees the shutdown signal, so
%% on a tie the timer wins ("timer_first", what the node does). SCONF_TIE=child_first puts
%% child exits before timers at the same instant instead (Class 0 before 1).
%% A zero shutdown is always a kill (TRACE-RULES rule 12), in both modes.
add_event(T, Ev, #st{seq = Seq, events = Evs, tie = Tie, now = Now} = St) ->
    Class = case {Tie, Ev} of
                {child_first, {kill_deadline, _}} when T > Now -> 1;
                _ -> 0
            end,
    St#st{seq = Seq + 1, events = gb_sets:add({T, Class, Seq, Ev}, Evs)}.

exec_event({pexit, Pid}, St) ->
    case alive(Pid, St) of
        true -> Pid ! {sconf_exit, shutdown};
        false -> ok
    end,
    St;
exec_event({kill_deadline, Pid}, St) ->
    case alive(Pid, St) of
        true -> wait_killed(Pid, St);
        false -> St
    end.

%% The supervisor's real timer is due: wait for it to fire and kill Pid.
wait_killed(Pid, #st{anchor = {R0, V0}, scale = K, now = Now} = St) ->
    Limit = R0 + (Now - V0) * K + ?SLACK_MS,
    wait_killed(Pid, Limit, St);
wait_killed(Pid, St) ->
    wait_killed(Pid, real_ms() + ?SLACK_MS, St).

wait_killed(Pid, Limit, St) ->
    case alive(Pid, St) of
        false -> St;
        true ->
            receive Msg -> wait_killed(Pid, Limit, handle(Msg, St))
            after max(0, Limit - real_ms()) ->
                    add_error(St, 3, io_lib:format("timing: the shutdown timer for ~ts did not fire "
                                               "by ~p ms", [path_of(Pid, St), St#st.now]))
            end
    end.

exec_step(#{kind := exit, path := Path, reason := R}, St) ->
    case maps:find(Path, St#st.live) of
        {ok, Pid} ->
            case maps:get(Pid, St#st.procs) of
                #{kind := worker, alive := true, state := S} = P when S =/= exiting ->
                    St1 = line(["exit ", Path, " ", render(R)], St),
                    Pid ! {sconf_exit, R},
                    put_proc(Pid, P#{state => exiting}, St1);
                _ -> St
            end;
        error -> St
    end;
exec_step(#{kind := fail_start, path := Path, times := N, reason := R}, St) ->
    set_plan(Path, {fail, R, N}, St);
exec_step(#{kind := ignore_start, path := Path, times := N}, St) ->
    set_plan(Path, {ignore, N}, St);
exec_step(#{kind := stop_delay, path := Path, ms := Ms}, St) ->
    St#st{delays = (St#st.delays)#{Path => Ms}};
exec_step(#{kind := call} = Step, St) ->
    exec_call(Step, St).

set_plan(Path, Plan, St) when element(tuple_size(Plan), Plan) =:= 0 ->
    St#st{plans = maps:remove(Path, St#st.plans)};
set_plan(Path, Plan, St) ->
    St#st{plans = (St#st.plans)#{Path => Plan}}.

%% First path with a pending plan wins; each use consumes one of its times.
consume_plan([], St) -> {none, St};
consume_plan([Path | Rest], St) ->
    case maps:find(Path, St#st.plans) of
        {ok, {fail, R, N}} -> {{fail, R}, set_plan(Path, {fail, R, N - 1}, St)};
        {ok, {ignore, N}} -> {ignore, set_plan(Path, {ignore, N - 1}, St)};
        error -> consume_plan(Rest, St)
    end.

implicit_stop(#st{root = Root} = St) ->
    Helper = spawn(fun() -> helper_result(catch gen_server:stop(Root, shutdown, infinity)) end),
    St#st{root_state = stopping,
          calls = (St#st.calls)#{Helper => #{call => stop, implicit => true, sup_pid => Root,
                                             sup => St#st.root_path, printed => false}}}.

helper_result(R) ->
    sconf_director ! {call_result, self(), R}.

%% ---------------------------------------------------------------------------------------
%% Operator calls. Each runs in a helper process (the supervisor may be busy); the reply
%% line is printed when the supervisor's handle_call returns (seen through call tracing),
%% which is exactly where the supervisor sends it.

exec_call(#{call := Call, sup := SupPath} = Step, St) ->
    case sup_pid(SupPath, St) of
        none ->
            line(["reply ", atom_to_list(Call), " ", SupPath, " error:noproc"], St);
        SupPid ->
            {Fun, St1} = call_fun(Call, Step, SupPid, St),
            Helper = spawn(fun() ->
                                   R = try {ok, Fun()} catch exit:E -> {exit, E} end,
                                   helper_result(R)
                           end),
            St2 = case Call of
                      stop -> St1#st{root_state = stopping};
                      _ -> St1
                  end,
            St2#st{calls = (St2#st.calls)#{Helper => #{call => Call, sup => SupPath,
                                                       sup_pid => SupPid, printed => false,
                                                       implicit => false}}}
    end.

sup_pid(Path, St) ->
    case maps:find(Path, St#st.live) of
        {ok, Pid} ->
            case maps:get(Pid, St#st.procs) of
                #{kind := supervisor, alive := true, init_done := true} -> Pid;
                _ -> none
            end;
        error -> none
    end.

call_fun(stop, _Step, SupPid, St) ->
    {fun() -> gen_server:stop(SupPid, shutdown, infinity) end, St};
call_fun(which_children, _, SupPid, St) ->
    {fun() -> vsupervisor:which_children(SupPid) end, St};
call_fun(count_children, _, SupPid, St) ->
    {fun() -> vsupervisor:count_children(SupPid) end, St};
call_fun(start_child, #{sup := SupPath} = Step, SupPid, St) ->
    case is_simple(SupPid, St) of
        true ->
            Token = {sconf_token, erlang:unique_integer([positive])},
            {fun() -> vsupervisor:start_child(SupPid, [Token]) end, St};
        false ->
            {Spec, St1} = start_child_spec(maps:get(spec, Step), SupPath, St),
            {fun() -> vsupervisor:start_child(SupPid, Spec) end, St1}
    end;
call_fun(terminate_child, #{sup := SupPath, child := Child}, SupPid, St) ->
    Arg = case is_simple(SupPid, St) of
              false -> Child;
              true ->
                  InstPath = sconf_scen:path_join(SupPath, to_bin(Child)),
                  case maps:find(InstPath, St#st.insts) of
                      {ok, #{pid := Pid}} -> Pid;
                      error when Child =:= undefined -> undefined;
                      error ->
                          case binary:match(to_bin(Child), <<"#">>) of
                              nomatch -> Child;                  % template id
                              _ -> St#st.stranger                % unknown instance
                          end
                  end
          end,
    {fun() -> vsupervisor:terminate_child(SupPid, Arg) end, St};
call_fun(restart_child, #{child := Child}, SupPid, St) ->
    {fun() -> vsupervisor:restart_child(SupPid, Child) end, St};
call_fun(delete_child, #{child := Child}, SupPid, St) ->
    {fun() -> vsupervisor:delete_child(SupPid, Child) end, St}.

to_bin(B) when is_binary(B) -> B;
to_bin(X) -> iolist_to_binary(io_lib:format("~p", [X])).

%% The spec given to OTP: the scenario's own fields (OTP validates them), start pointing
%% at sconf_child with the new child's path and a fresh config node.
start_child_spec(Json, SupPath, #st{nodes = Nodes, scale = K} = St) when is_map(Json) ->
    Next = lists:max(maps:keys(Nodes)) + 1,
    {Nid, Nodes1, _} = sconf_scen:node_from_json(Json, Next, Nodes, spec),
    Node = maps:get(Nid, Nodes1),
    Path = case maps:get(id, Node) of
               Id when is_binary(Id) -> sconf_scen:path_join(SupPath, Id);
               _ -> undefined
           end,
    Spec = (scale_spec(maps:get(spec, Node), K))#{start => {sconf_child, start_link, [Path, Nid]}},
    {Spec, St#st{nodes = Nodes1}};
start_child_spec(Other, _, St) ->
    {Other, St}.

is_simple(SupPid, St) ->
    #{nid := Nid} = maps:get(SupPid, St#st.procs),
    simple_node(Nid, St).

simple_node(Nid, St) ->
    maps:get(strategy, maps:get(flags, maps:get(Nid, St#st.nodes)), one_for_one)
        =:= simple_one_for_one.

scale_spec(Spec, 1) -> Spec;
scale_spec(Spec, K) ->
    case maps:find(shutdown, Spec) of
        {ok, T} when is_integer(T), T >= 0 -> Spec#{shutdown => T * K};
        {ok, _} -> Spec;
        error ->
            case maps:get(type, Spec, worker) of
                worker -> Spec#{shutdown => 5000 * K};
                _ -> Spec
            end
    end.

%% =======================================================================================
%% Messages

handle({req, From, Ref, Req}, St) ->
    {Reply, St1} = req(Req, From, St),
    From ! {Ref, Reply},
    St1;
handle({root_result, _}, St) ->
    St;
handle({stop_req, Pid}, St) ->
    case maps:find(Pid, St#st.procs) of
        {ok, #{path := Path} = P} ->
            St1 = put_proc(Pid, P#{state => stopping}, St),
            case stop_delay(Path, St1) of
                never -> St1;
                Ms -> add_event(St1#st.now + Ms, {pexit, Pid}, St1)
            end;
        error -> St
    end;
handle({orphan, Pid, Reason}, St) ->
    update_proc(Pid, fun(P) -> P#{orphan => Reason} end, St);
handle({'DOWN', _Ref, process, Pid, Reason}, St) ->
    proc_down(Pid, Reason, St);
handle({report, SupPid, Ctx, Reason, Offender}, St) ->
    report(SupPid, Ctx, Reason, Offender, St);
handle({call_result, Helper, Result}, St) ->
    call_result(Helper, Result, St);
handle({trace, Sup, call, {vsupervisor, F, Args}}, St) ->
    trace_call(Sup, F, Args, St);
handle({trace, Sup, return_from, {vsupervisor, F, _}, Value}, St) ->
    trace_return(Sup, F, Value, St);
handle(Other, St) ->
    line(io_lib:format("# note unexpected message ~0p", [Other]), St).

stop_delay(Path, St) ->
    Candidates = [Path | case binary:split(Path, <<"#">>) of
                             [Tmpl, _] -> [Tmpl];
                             _ -> []
                         end],
    case [D || C <- Candidates, {ok, D} <- [maps:find(C, St#st.delays)]] of
        [D | _] -> D;
        [] -> 0
    end.

%% ---------------------------------------------------------------------------------------
%% Requests from start functions and supervisor inits

req({start_req, Path, Nid, none}, _From, St) ->
    Kind = kind(Nid, St),
    case consume_plan([Path], St) of
        {{fail, R}, St1} -> {{error, R}, line(["start_error ", Path, " ", render(R)], St1)};
        {ignore, St1} -> {ignore, line(["ignore ", Path], St1)};
        {none, St1} -> {{ok, Kind, Path}, St1}
    end;
req({start_req, TmplPath, Nid, Token}, _From, St) ->
    Kind = kind(Nid, St),
    case maps:find(Token, St#st.tokens) of
        {ok, {InstPath, confirmed}} ->
            case consume_plan([InstPath, TmplPath], St) of
                {{fail, R}, St1} ->
                    St2 = set_inst(InstPath, #{state => restarting}, St1),
                    {{error, R}, line(["start_error ", InstPath, " ", render(R)], St2)};
                {ignore, St1} ->
                    St2 = line(["ignore ", InstPath], St1),
                    {ignore, line(["# note quirk Q1: ignore on a simple_one_for_one restart"], St2)};
                {none, St1} ->
                    {{ok, Kind, InstPath}, St1}
            end;
        _ ->
            case consume_plan([TmplPath], St) of
                {{fail, R}, St1} -> {{error, R}, line(["start_error ", TmplPath, " ", render(R)], St1)};
                {ignore, St1} -> {ignore, line(["ignore ", TmplPath], St1)};
                {none, St1} ->
                    N = maps:get(TmplPath, St1#st.counters, 0) + 1,
                    InstPath = <<TmplPath/binary, "#", (integer_to_binary(N))/binary>>,
                    {{ok, Kind, InstPath},
                     St1#st{counters = (St1#st.counters)#{TmplPath => N},
                            tokens = (St1#st.tokens)#{Token => {InstPath, provisional}}}}
            end
    end;
req({started, RPath, Nid, Token, Pid}, From, St) ->
    St1 = line(["start ", RPath], St),
    St2 = case maps:find(Pid, St1#st.procs) of
              {ok, P} -> put_proc(Pid, P#{init_done => true}, St1);
              error ->
                  erlang:monitor(process, Pid),
                  put_proc(Pid, #{kind => worker, path => RPath, nid => Nid, parent => From,
                                  alive => true, state => running, token => Token}, St1)
          end,
    St3 = St2#st{live = (St2#st.live)#{RPath => Pid}},
    St4 = case Token of
              none ->
                  Id = lists:last(sconf_scen:split_path(RPath)),
                  Order = maps:get(From, St3#st.order, []),
                  case lists:member(Id, Order) of
                      true -> St3;
                      false -> St3#st{order = (St3#st.order)#{From => [Id | Order]}}
                  end;
              _ ->
                  St3a = St3#st{tokens = (St3#st.tokens)#{Token => {RPath, confirmed}}},
                  set_inst(RPath, #{pid => Pid, state => running, sup => From}, St3a)
          end,
    St5 = case RPath =:= St4#st.root_path andalso Token =:= none
              andalso From =:= St4#st.root_owner of
              true -> St4#st{root = Pid, root_state = running};
              false -> St4
          end,
    {ok, St5};
req({start_failed, RPath, _Nid, Token, Err}, _From, St) ->
    %% A new instance that failed to start has no number yet: its line goes on the template's
    %% path (docs/SCENARIO-FORMAT.md), though its own children used the number it would have had.
    Printed = case maps:find(Token, St#st.tokens) of
                  {ok, {ProvisionalPath, provisional}} ->
                      hd(binary:split(ProvisionalPath, <<"#">>));
                  _ -> RPath
              end,
    St1 = line(["start_error ", Printed, " ", render_start_error(Err)], St),
    St2 = maps:fold(fun(Pid, #{kind := supervisor, path := P, init_done := false} = Pr, S)
                          when P =:= RPath -> put_proc(Pid, Pr#{failed => true}, S);
                       (_, _, S) -> S
                    end, St1, St1#st.procs),
    St3 = case maps:find(Token, St2#st.tokens) of
              {ok, {InstPath, provisional}} ->
                  [Tmpl, NBin] = binary:split(InstPath, <<"#">>),
                  N = binary_to_integer(NBin),
                  C = case maps:get(Tmpl, St2#st.counters) of
                          N -> (St2#st.counters)#{Tmpl => N - 1};
                          Other -> (St2#st.counters)#{Tmpl => Other}
                      end,
                  St2#st{counters = C, tokens = maps:remove(Token, St2#st.tokens)};
              {ok, {InstPath, confirmed}} ->
                  set_inst(InstPath, #{state => restarting}, St2);
              _ -> St2
          end,
    St4 = case RPath =:= St3#st.root_path andalso Token =:= none of
              true -> St3#st{root_state = ended};
              false -> St3
          end,
    {ok, St4};
req({sup_init, Path, Nid, Parent, Pid}, _From, St) ->
    erlang:monitor(process, Pid),
    St1 = put_proc(Pid, #{kind => supervisor, path => Path, nid => Nid, parent => Parent,
                          alive => true, init_done => false, self_exit => false,
                          ended => false, state => running}, St),
    #{flags := Flags, children := Cs} = maps:get(Nid, St#st.nodes),
    Specs = [child_spec(C, Path, St) || C <- Cs],
    {{Flags, Specs, self()}, St1}.

child_spec(CNid, ParentPath, #st{nodes = Nodes, scale = K}) ->
    #{id := Id, spec := Spec} = maps:get(CNid, Nodes),
    CPath = sconf_scen:path_join(ParentPath, Id),
    (scale_spec(Spec, K))#{start => {sconf_child, start_link, [CPath, CNid]}}.

kind(Nid, St) -> maps:get(kind, maps:get(Nid, St#st.nodes)).

render_start_error({error, E}) -> start_error_token(E);
render_start_error(Other) -> render(Other).

start_error_token({shutdown, {failed_to_start_child, Id, _}}) ->
    ["failed_to_start_child:", render(Id)];
start_error_token(E) -> render(E).

%% ---------------------------------------------------------------------------------------
%% Process exits

proc_down(Pid, Reason, St) ->
    case maps:find(Pid, St#st.procs) of
        error -> St;
        {ok, P0} ->
            P = P0#{alive => false, exit_reason => Reason},
            St1 = put_proc(Pid, P, St),
            #{path := Path} = P,
            St2 = case maps:find(Path, St1#st.live) of
                      {ok, Pid} -> St1#st{live = maps:remove(Path, St1#st.live)};
                      _ -> St1
                  end,
            St3 = case maps:find(Path, St2#st.insts) of
                      {ok, #{pid := Pid}} -> set_inst(Path, #{state => dead}, St2);
                      _ -> St2
                  end,
            Deadline = maps:get(Pid, St3#st.timers, undefined),
            St4 = check_kill(Pid, Reason, P, Deadline, St3),
            St5 = drop_timer(Pid, St4),
            case P of
                #{kind := worker} -> St5;
                #{kind := supervisor} -> sup_down(Pid, Reason, P, St5)
            end
    end.

check_kill(Pid, killed, P, Deadline, St) ->
    OrphanSup = maps:get(kind, P) =:= supervisor andalso not alive(maps:get(parent, P), St),
    Commanded = maps:get(state, P, running) =:= exiting,
    Expected = maps:is_key(orphan, P) orelse OrphanSup orelse Commanded
        orelse maps:is_key(Pid, St#st.brutal)
        orelse (Deadline =/= undefined andalso Deadline =< St#st.now),
    case Expected of
        true -> St;
        false ->
            add_error(St, 3, io_lib:format("timing: ~ts was killed at virtual ~p ms, before its "
                                       "shutdown deadline ~p; rerun with a larger SCONF_SCALE",
                                       [maps:get(path, P), St#st.now, Deadline]))
    end;
check_kill(_, _, _, _, St) -> St.

drop_timer(Pid, St) ->
    Timers = maps:remove(Pid, St#st.timers),
    Evs = gb_sets:filter(fun({_, _, _, {_, P}}) -> P =/= Pid end, St#st.events),
    Anchor = case map_size(Timers) of
                 0 -> undefined;
                 _ -> St#st.anchor
             end,
    St#st{timers = Timers, events = Evs, anchor = Anchor}.

sup_down(Pid, Reason, P, St) ->
    #{path := Path, parent := Parent} = P,
    if
        not (map_get(init_done, P)) -> St;
        map_get(ended, P) -> St;
        map_get(self_exit, P) =/= false ->
            St1 = end_line(Pid, ["exit ", Path, " ", render(Reason)], St),
            case Pid =:= St1#st.root of
                true -> St1#st{root_state = ended};
                false -> St1
            end;
        Pid =:= St#st.root ->
            Kind = case St#st.root_state of
                       stopping -> "stop ";
                       _ -> "exit "
                   end,
            St1 = end_line(Pid, [Kind, Path, " ", render(Reason)], St),
            St1#st{root_state = ended};
        true ->
            case alive(Parent, St) of
                true -> St;                       % the parent's unlink_flush prints it
                false -> end_line(Pid, ["stop ", Path, " ", render(Reason)], St)
            end
    end.

%% The last line of a supervisor incarnation; then the replies that waited for it.
end_line(SupPid, Text, St) ->
    St1 = line(Text, St),
    St2 = update_proc(SupPid, fun(P) -> P#{ended => true} end, St1),
    {Mine, Others} = lists:partition(fun({S, _}) -> S =:= SupPid end, St2#st.deferred),
    St3 = St2#st{deferred = Others},
    lists:foldl(fun({_, T}, S) -> line(T, S) end, St3, Mine).

%% ---------------------------------------------------------------------------------------
%% Trace messages from supervisors

trace_call(_Sup, shutdown, [Child], St) ->
    {Pid, Shutdown} = child_pid_shutdown(Child),
    arm(Pid, Shutdown, St);
trace_call(_Sup, terminate_dynamic_children, [State], St) ->
    %% #state{} of supervisor.erl 25.2.3: {state, Name, Strategy, Children, Dynamics, ...}
    12 = tuple_size(State),
    state = element(1, State),
    {[TId], Db} = element(4, State),
    Dynamics = element(5, State),
    {_, Shutdown} = child_pid_shutdown(maps:get(TId, Db)),
    Pids = case Dynamics of
               {_, M} -> [P || P <- maps:keys(M), is_pid(P)];
               _ -> []
           end,
    lists:foldl(fun(P, S) -> arm(P, Shutdown, S) end, St, Pids);
trace_call(Sup, unlink_flush, [Pid, _], St) ->
    St#st{uf = push(Sup, Pid, St#st.uf)};
trace_call(Sup, handle_call, [_Req, From, _], St) ->
    St#st{hc = push(Sup, From, St#st.hc)};
trace_call(_, _, _, St) ->
    St.

child_pid_shutdown(Child) when element(1, Child) =:= child, tuple_size(Child) =:= 9 ->
    {element(2, Child), element(7, Child)}.

arm(Pid, brutal_kill, St) ->
    St#st{brutal = (St#st.brutal)#{Pid => true}};
arm(_Pid, infinity, St) ->
    St;
arm(Pid, T, #st{scale = K, now = Now} = St) when is_integer(T), is_pid(Pid) ->
    %% A child that is already dead (its DOWN reached us before this trace message) gets
    %% no timer: OTP's monitor answers at once.
    case alive(Pid, St) of
        true -> arm_timer(Pid, Now + T div K, St);
        false -> St
    end;
arm(_, _, St) ->
    St.

arm_timer(Pid, Deadline, #st{now = Now} = St) ->
    Anchor = case St#st.anchor of
                 undefined -> {real_ms(), Now};
                 A -> A
             end,
    add_event(Deadline, {kill_deadline, Pid},
              St#st{timers = (St#st.timers)#{Pid => Deadline}, anchor = Anchor}).

trace_return(Sup, unlink_flush, Reason, St) ->
    {Pid, UF} = pop(Sup, St#st.uf),
    stop_line(Pid, Reason, St#st{uf = UF});
trace_return(Sup, handle_call, Value, St) ->
    {From, HC} = pop(Sup, St#st.hc),
    St1 = St#st{hc = HC},
    Helper = case From of
                 {HP, _} -> HP;
                 _ -> undefined
             end,
    case {maps:find(Helper, St1#st.calls), Value} of
        {{ok, C}, {reply, Reply, _}} ->
            St2 = line(render_reply(C, Reply, St1), St1),
            St2#st{calls = (St2#st.calls)#{Helper => C#{printed => true}}};
        _ -> St1
    end;
trace_return(Sup, F, {stop, Reason, _}, St) when F =:= handle_info; F =:= handle_cast ->
    update_proc(Sup, fun(P) -> P#{self_exit => Reason} end, St);
trace_return(_, _, _, St) ->
    St.

push(K, V, M) -> M#{K => [V | maps:get(K, M, [])]}.
pop(K, M) ->
    [V | Rest] = maps:get(K, M),
    {V, M#{K => Rest}}.

%% The supervisor finished terminating Pid; Reason is what it ended with.
stop_line(Pid, Reason, St) ->
    case maps:find(Pid, St#st.procs) of
        {ok, #{kind := supervisor, path := Path}} ->
            St1 = case Reason of
                      killed -> drain_orphans(Pid, St);
                      _ -> St
                  end,
            end_line(Pid, ["stop ", Path, " ", render(Reason)], St1);
        {ok, #{path := Path}} ->
            line(["stop ", Path, " ", render(Reason)], St);
        error ->
            line(io_lib:format("# note stop of an unknown process ~p ~0p", [Pid, Reason]), St)
    end.

%% A supervisor was killed: its workers get its exit signal and die at once (TRACE-RULES
%% rule 6). Wait for them and print their stop lines, newest first, before the
%% supervisor's own. Nested supervisors terminate their own children (OTP behaviour) and
%% are printed when they end.
drain_orphans(Sup, St) ->
    Workers = [Pid || {Pid, #{kind := worker, parent := Par}} <- maps:to_list(St#st.procs),
                      Par =:= Sup],
    St1 = wait_dead([P || P <- Workers, alive(P, St)], real_ms() + ?SLACK_MS, St),
    Dead = [{Pid, maps:get(Pid, St1#st.procs)} || Pid <- Workers],
    Orphans = [{Pid, P} || {Pid, #{orphan := _} = P} <- Dead, not maps:is_key(printed, P)],
    Sorted = case is_simple(Sup, St1) of
                 true -> lists:sort(fun({_, A}, {_, B}) -> inst_no(A) =< inst_no(B) end, Orphans);
                 false ->
                     Order = maps:get(Sup, St1#st.order, []),
                     lists:sort(fun({_, A}, {_, B}) -> pos(A, Order) =< pos(B, Order) end, Orphans)
             end,
    lists:foldl(fun({Pid, #{path := Path, exit_reason := R} = P}, S) ->
                        S1 = line(["stop ", Path, " ", render(R)], S),
                        put_proc(Pid, P#{printed => true}, S1)
                end, St1, Sorted).

wait_dead([], _, St) -> St;
wait_dead(Pids, Limit, St) ->
    Waiting = maps:from_list([{P, true} || P <- Pids]),
    receive
        {'DOWN', _, process, Pid, Reason} when is_map_key(Pid, Waiting) ->
            St1 = proc_down(Pid, Reason, St),
            wait_dead([P || P <- Pids, alive(P, St1)], Limit, St1);
        {orphan, Pid, Reason} when is_map_key(Pid, Waiting) ->
            St1 = update_proc(Pid, fun(P) -> P#{orphan => Reason} end, St),
            wait_dead(Pids, Limit, St1)
    after max(0, Limit - real_ms()) ->
            add_error(St, 4, "orphaned workers of a killed supervisor did not exit")
    end.

inst_no(#{path := Path}) ->
    case binary:split(Path, <<"#">>) of
        [_, N] -> binary_to_integer(N);
        _ -> 0
    end.

pos(#{path := Path}, Order) ->
    Id = lists:last(sconf_scen:split_path(Path)),
    length(lists:takewhile(fun(X) -> X =/= Id end, Order)).

%% ---------------------------------------------------------------------------------------
%% Reports (comment lines)

report(SupPid, Ctx, Reason, Offender, St) ->
    SupPath = path_of(SupPid, St),
    Child = case proplists:get_value(nb_children, Offender) of
                undefined ->
                    case proplists:get_value(pid, Offender) of
                        P when is_pid(P) -> known_path(P, Offender, SupPath, St);
                        {restarting, P} when is_pid(P) -> known_path(P, Offender, SupPath, St);
                        _ -> id_path(SupPath, Offender)
                    end;
                _N -> id_path(SupPath, Offender)      % simple_one_for_one, grouped by reason
            end,
    Tail = case Ctx of
               shutdown -> ["reached_max_restart_intensity ", Child];
               _ -> [atom_to_list(Ctx), " ", Child, " ", start_error_token(Reason)]
           end,
    line(["# report ", SupPath, " ", Tail], St).

known_path(P, Offender, SupPath, St) ->
    case maps:find(P, St#st.procs) of
        {ok, #{path := Path}} -> Path;
        error -> id_path(SupPath, Offender)
    end.

id_path(SupPath, Offender) ->
    sconf_scen:path_join(SupPath, render_bin(proplists:get_value(id, Offender))).

%% ---------------------------------------------------------------------------------------
%% Call results

call_result(Helper, Result, St) ->
    case maps:find(Helper, St#st.calls) of
        error -> St;
        {ok, C} ->
            St1 = St#st{calls = maps:remove(Helper, St#st.calls)},
            #{call := Call, sup := SupPath, sup_pid := SupPid, printed := Printed} = C,
            Implicit = maps:get(implicit, C, false),
            if
                Implicit -> St1;
                Printed -> St1;
                Call =:= stop, Result =:= {ok, ok} ->
                    after_end(SupPid, ["reply stop ", SupPath, " ok"], St1);
                true ->
                    case Result of
                        {exit, _} ->
                            after_end(SupPid, ["reply ", atom_to_list(Call), " ", SupPath,
                                               " error:noproc"], St1);
                        {ok, Reply} ->
                            line(render_reply(C, Reply, St1), St1)
                    end
            end
    end.

%% Print after the supervisor's own end line (now if it was printed already).
after_end(SupPid, Text, St) ->
    case maps:find(SupPid, St#st.procs) of
        {ok, #{ended := true}} -> line(Text, St);
        _ -> St#st{deferred = St#st.deferred ++ [{SupPid, Text}]}
    end.

%% After the root ended: collect outstanding helper results (their replies are noproc).
finish_calls(St) ->
    finish_calls(St, real_ms() + ?SLACK_MS).

finish_calls(St0, Limit) ->
    St = settle(St0),
    Pending = [H || {H, #{implicit := false}} <- maps:to_list(St#st.calls)],
    case Pending of
        [] -> flush_deferred(St);
        _ ->
            receive Msg -> finish_calls(handle(Msg, St), Limit)
            after max(0, Limit - real_ms()) ->
                    add_error(St, 4, "operator calls did not complete")
            end
    end.

flush_deferred(#st{deferred = []} = St) -> St;
flush_deferred(#st{deferred = D} = St) ->
    lists:foldl(fun({_, T}, S) -> line(T, S) end, St#st{deferred = []}, D).

render_reply(#{call := Call, sup := SupPath, sup_pid := SupPid}, Reply, St) ->
    ["reply ", atom_to_list(Call), " ", SupPath, " ", reply_text(Call, Reply, SupPid, St)].

reply_text(Call, {ok, Pid}, _, St) when is_pid(Pid),
                                         Call =:= start_child orelse Call =:= restart_child ->
    ["ok:", path_of(Pid, St)];
reply_text(Call, {ok, Pid, _}, _, St) when is_pid(Pid),
                                            Call =:= start_child orelse Call =:= restart_child ->
    ["ok:", path_of(Pid, St)];
reply_text(_, {ok, undefined}, _, _) -> "ok:undefined";
reply_text(_, ok, _, _) -> "ok";
reply_text(start_child, {error, E}, SupPid, St) ->
    case is_simple(SupPid, St) of
        true -> ["error:", start_error_token(E)];
        false -> ["error:", static_start_child_error(E)]
    end;
reply_text(restart_child, {error, E}, _, _) when is_atom(E) -> ["error:", render(E)];
reply_text(restart_child, {error, E}, _, _) -> ["error:", start_error_token(E)];
reply_text(_, {error, E}, _, _) -> ["error:", render(E)];
reply_text(which_children, L, SupPid, St) when is_list(L) ->
    case is_simple(SupPid, St) of
        false ->
            ["[", lists:join(",", [[render(Id), ":", child_state(C)] || {Id, C, _, _} <- L]), "]"];
        true -> simple_children(L, SupPid, St)
    end;
reply_text(count_children, L, _, _) when is_list(L) ->
    ["[", lists:join(",", [[atom_to_list(K), ":", integer_to_list(V)] || {K, V} <- L]), "]"];
reply_text(_, Other, _, _) ->
    render(Other).

child_state(Pid) when is_pid(Pid) -> "running";
child_state(restarting) -> "restarting";
child_state(undefined) -> "undefined";
child_state(Other) -> render(Other).

static_start_child_error({already_started, _}) -> "already_started";
static_start_child_error({What, Rec}) when is_tuple(Rec), tuple_size(Rec) =:= 9,
                                           element(1, Rec) =:= child ->
    start_error_token(What);
static_start_child_error({Tag, _}) when is_atom(Tag) -> atom_to_list(Tag);
static_start_child_error(E) -> render(E).

%% OTP lists pids (and 'restarting' without a pid); names come from our instance table.
simple_children(L, SupPid, St) ->
    Running = [{inst_no(maps:get(P, St#st.procs)), name_of(P, St), "running"}
               || {_, P, _, _} <- L, is_pid(P)],
    NRestarting = length([x || {_, restarting, _, _} <- L]),
    Restarting = lists:sort([{inst_no(#{path => Path}), lists:last(sconf_scen:split_path(Path)),
                              "restarting"}
                             || {Path, #{state := restarting, sup := S}} <- maps:to_list(St#st.insts),
                                S =:= SupPid]),
    Extra = case length(Restarting) of
                NRestarting -> [];
                _ -> [{0, "?", io_lib:format("restarting(otp=~p,driver=~p)",
                                             [NRestarting, length(Restarting)])}]
            end,
    All = lists:sort(Running ++ Restarting ++ Extra),
    ["[", lists:join(",", [[N, ":", S] || {_, N, S} <- All]), "]"].

name_of(Pid, St) -> lists:last(sconf_scen:split_path(path_of(Pid, St))).

%% =======================================================================================
%% Helpers

line(Text, St) ->
    St#st{lines = [{St#st.now, Text} | St#st.lines]}.

alive(Pid, St) ->
    case maps:find(Pid, St#st.procs) of
        {ok, #{alive := A}} -> A;
        error -> is_pid(Pid) andalso is_process_alive(Pid)
    end.

put_proc(Pid, P, St) -> St#st{procs = (St#st.procs)#{Pid => P}}.

update_proc(Pid, F, St) ->
    case maps:find(Pid, St#st.procs) of
        {ok, P} -> put_proc(Pid, F(P), St);
        error -> St
    end.

set_inst(Path, Fields, St) ->
    Old = maps:get(Path, St#st.insts, #{}),
    St#st{insts = (St#st.insts)#{Path => maps:merge(Old, Fields)}}.

path_of(Pid, St) ->
    case maps:find(Pid, St#st.procs) of
        {ok, #{path := P}} -> P;
        error -> io_lib:format("~p", [Pid])
    end.

render(A) when is_atom(A) -> atom_to_binary(A, utf8);
render({shutdown, X}) -> ["shutdown:", render(X)];
render(B) when is_binary(B) -> B;
render(I) when is_integer(I) -> integer_to_binary(I);
render(Other) -> re:replace(io_lib:format("~0p", [Other]), "\\s+", "", [global]).

render_bin(X) -> iolist_to_binary(render(X)).

%% Trace text. Stop lines of simple_one_for_one instances that fall on the same instant
%% are put in instance order (OTP stops them in parallel; docs/SCENARIO-FORMAT.md).
render_lines(St) ->
    Lines = [{At, iolist_to_binary(T)} || {At, T} <- lists:reverse(St#st.lines)],
    [case T of
         <<"#", _/binary>> -> [T, "\n"];        % comment lines carry no time
         _ -> [integer_to_binary(At), " ", T, "\n"]
     end || {At, T} <- sort_parallel_stops(Lines)].

sort_parallel_stops([]) -> [];
sort_parallel_stops([{At, T} = L | Rest]) ->
    case inst_stop(T) of
        {Tmpl, _} ->
            {Group, Tail} = lists:splitwith(
                              fun({At2, T2}) ->
                                      At2 =:= At andalso
                                          case inst_stop(T2) of
                                              {Tmpl, _} -> true;
                                              _ -> false
                                          end
                              end, Rest),
            Sorted = lists:sort(fun({_, A}, {_, B}) ->
                                        element(2, inst_stop(A)) =< element(2, inst_stop(B))
                                end, [L | Group]),
            Sorted ++ sort_parallel_stops(Tail);
        none -> [L | sort_parallel_stops(Rest)]
    end.

inst_stop(<<"stop ", Rest/binary>>) ->
    [Path | _] = binary:split(Rest, <<" ">>),
    case re:run(Path, "^(.*)#([0-9]+)$", [{capture, all_but_first, binary}]) of
        {match, [Tmpl, N]} -> {Tmpl, binary_to_integer(N)};
        nomatch -> none
    end;
inst_stop(_) -> none.
